/**
 * Errors the user can act on. Everything else that escapes a command is a bug and is reported as one.
 *
 * `code` is a knowledge-base code (see src/diagnostics/knowledge-base.ts) so every front end can show the
 * same explanation; `message` is the one-line cause, `fix` the one-line remedy.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface UserErrorOptions {
  /** One line telling the user what to do about it. */
  fix?: string;
  /** Process exit code; bad input is 2 unless said otherwise. */
  exitCode?: number;
  /** Extra facts safe to show (never secrets). */
  detail?: Record<string, unknown>;
  cause?: unknown;
}

export class UserError extends Error {
  readonly code: string;
  readonly fix?: string;
  readonly exitCode: number;
  readonly detail?: Record<string, unknown>;

  constructor(code: string, message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.code = code;
    this.fix = options.fix;
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.detail = options.detail;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
