/**
 * Terminal styling without a dependency: a handful of ANSI codes, switched off by --no-color, NO_COLOR,
 * or a stream that is not a terminal. Every status also has a symbol, so nothing depends on colour.
 */
export interface Style {
  readonly enabled: boolean;
  green(text: string): string;
  yellow(text: string): string;
  /** 256-colour orange (the board's "works, with warnings"); terminals without 256 colours show it plain. */
  orange(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export type Status = 'pass' | 'warn' | 'fail' | 'skip';

export const SYMBOLS: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const identity = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    return { enabled, green: identity, yellow: identity, orange: identity, red: identity, cyan: identity, dim: identity, bold: identity };
  }
  return {
    enabled,
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    orange: (text: string) => `\u001b[38;5;208m${text}\u001b[39m`,
    red: wrap(31, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** Colour is on only for a terminal, and off for --no-color or a non-empty NO_COLOR (https://no-color.org). */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function statusMark(style: Style, status: Status): string {
  const symbol = SYMBOLS[status];
  switch (status) {
    case 'pass':
      return style.green(symbol);
    case 'warn':
      return style.yellow(symbol);
    case 'fail':
      return style.red(symbol);
    default:
      return style.dim(symbol);
  }
}
