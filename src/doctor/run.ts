import { EXIT } from '../errors.js';
import type { Check, CheckOutcome, CheckResult, DoctorOptions, DoctorReport, DoctorState } from './types.js';

export interface RunHooks {
  /** Called when a check starts and when it ends (for live rendering). */
  onStart?(check: Check): void;
  onResult?(outcome: CheckOutcome): void;
}

/**
 * The whole run's network time is at most this many --timeouts. Its requests go in three rounds (the token
 * host, the token, the API calls together), so an org that answers each one just in time still finishes;
 * a later round (looking up this machine's address) is cut short rather than adding another wait.
 */
export const RUN_LIMIT_TIMEOUTS = 3;

export function createState(cwd: string, env: NodeJS.ProcessEnv, options: DoctorOptions): DoctorState {
  return { cwd, env, options, http: { timeoutMs: options.timeoutMs, env }, now: new Date(), results: new Map() };
}

/**
 * Run checks in order. A check whose dependency failed or was skipped is skipped with the reason; a check
 * that throws is a bug in sf-setup and is reported as a failed check, never a crash of the doctor.
 */
export async function runChecks(checks: readonly Check[], state: DoctorState, hooks: RunHooks = {}, strict = false): Promise<DoctorReport> {
  const outcomes: CheckOutcome[] = [];
  // The limit is on the network checks: it starts with the first of them, so slow local checks (git in a
  // large repository) never use it up before a request is sent.
  const limitMs = state.options.timeoutMs * RUN_LIMIT_TIMEOUTS;
  let deadline: { atMs: number; limitMs: number } | undefined;
  for (const check of checks) {
    if (check.network && !state.options.offline && !deadline) {
      deadline = { atMs: performance.now() + limitMs, limitMs };
      state.http = { ...state.http, deadline };
    }
    hooks.onStart?.(check);
    const started = performance.now();
    let result: CheckResult;
    const blocker = check.dependsOn?.find((id) => {
      const status = state.results.get(id)?.status;
      return status !== 'pass' && status !== 'warn';
    });
    if (check.network && state.options.offline) {
      result = { status: 'skip', detail: 'skipped: --offline' };
    } else if (blocker) {
      const title = checks.find((c) => c.id === blocker)?.title ?? blocker;
      result = { status: 'skip', detail: `skipped: needs "${title}" to pass` };
    } else if (check.network && !check.sendsNothing && deadline && performance.now() >= deadline.atMs) {
      // Not checked is not passed: the run could not finish, which is a timeout.
      result = { status: 'fail', code: 'timeout', detail: `not run: the run's time limit of ${limitMs / 1000} s (${RUN_LIMIT_TIMEOUTS} × --timeout) ran out before it`, fix: [`Run again with a larger --timeout (each request waits that long; the whole run ${RUN_LIMIT_TIMEOUTS} times that).`] };
    } else {
      try {
        result = await check.run(state);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { status: 'fail', detail: `the check itself failed (a bug in sf-setup): ${message}`, code: 'internal_error' };
      }
    }
    result.durationMs = Math.round(performance.now() - started);
    state.results.set(check.id, result);
    const outcome = { id: check.id, title: check.title, ...result };
    outcomes.push(outcome);
    hooks.onResult?.(outcome);
  }
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const outcome of outcomes) summary[outcome.status]++;
  const failed = summary.fail > 0 || (strict && summary.warn > 0);
  return {
    ok: !failed,
    // The org asked for, even when its settings could not be loaded: a report must say which org failed.
    org: state.config?.org ?? state.options.org ?? (state.config ? null : state.env.SF_ORG?.trim() || null),
    checks: outcomes,
    summary,
    exitCode: state.configUnreadable ? EXIT.usage : failed ? EXIT.failed : EXIT.ok,
    configPath: state.config?.configPath ?? null,
  };
}
