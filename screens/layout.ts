import wrapAnsi from 'wrap-ansi';
import { stepInfo, type ChecklistItem, type Question, type WizardState } from '../src/wizard/index.js';

/**
 * How many terminal rows the wizard's parts take, computed before they are drawn. A frame as tall as the
 * terminal makes Ink clear the whole screen, scrollback included (`ESC[3J`), on every redraw, and a taller one
 * scrolls the header away; so a step is given the rows left once the header, the recaps, the purpose and the
 * footer are counted, less one. Text is counted as Ink wraps it: wrap-ansi, hard, untrimmed (ink/build/wrap-text.js),
 * the same copy of wrap-ansi Ink uses.
 */

const counted = new Map<string, number>();
/** Printable ASCII: one column a character, so a line no longer than the width is one row. */
const NARROW = /^[\x20-\x7e]*$/;

/**
 * Prose wrapped for a box `width` columns wide, at spaces, with no space left at the start of a line. Ink
 * wraps untrimmed, so a break that falls on a space starts the next line with it (" code."); text shown
 * through this keeps its lines (each fits) and is counted the same by textLines.
 */
export function prose(text: string, width: number): string {
  return width < 1 ? text : wrapAnsi(text, width, { trim: true, hard: true });
}

/**
 * Lines `text` takes in a box `width` columns wide. wrap-ansi measures every character (a grapheme segmenter
 * and an emoji test each, ~1 ms a call here) and the frame is counted on every key, so: a short ASCII line is
 * one row without it, and answers are kept, as Ink keeps its own wrapped text.
 */
export function textLines(text: string, width: number): number {
  if (width < 1) return 1;
  if (text.length <= width && !text.includes('\n') && NARROW.test(text)) return 1;
  const key = `${width}\u0000${text}`;
  let lines = counted.get(key);
  if (lines === undefined) {
    lines = wrapAnsi(text, width, { trim: false, hard: true }).split('\n').length;
    if (counted.size > 2000) counted.clear();
    counted.set(key, lines);
  }
  return lines;
}

/** What the wizard knows about the terminal and its own parts (WizardApp). */
export interface ChromeInput {
  state: WizardState;
  banner?: string;
  columns: number;
  /** Under 24 rows the recaps keep to one line each (truncated). */
  short: boolean;
}

/** The rows of everything around the step: header, recaps, purpose, footer, and the margins between. */
export function chromeRows({ state, banner, columns, short }: ChromeInput, compact: boolean): number {
  if (state.step === 'finished') return 0;
  const current = stepInfo(state.step);
  // Header (screens/Header.tsx): title, the step strip, the banner truncated to one line (not when compact),
  // a blank line.
  const strip = textLines(`sf-setup  ${current.number}/4 ${current.title}`, columns) + textLines('✓ 1 Keys  ✓ 2 App  ✓ 3 Config  ✓ 4 Test', columns);
  const footer = 2; // a blank line, then "? help · Esc back · Ctrl+C quit"
  if (compact) return strip + 1 + footer;
  const header = strip + (banner ? 1 : 0) + 1;
  const recaps = state.done.reduce((sum, d) => {
    const info = stepInfo(d.id);
    return sum + (short ? 1 : textLines(`✓ ${info.number}/4 ${info.title}: ${d.summary}`, columns));
  }, 0);
  const purpose = textLines(current.purpose, columns);
  return header + recaps + (state.done.length ? 1 : 0) + purpose + 1 + footer;
}

/** Rows a step may fill, with the wizard's parts shown in full and in compact form (no recaps, no purpose). */
export interface StepRoom {
  columns: number;
  full: number;
  compact: number;
}

/**
 * Counted when first read, not before: the wizard's first screen needs neither number, and counting wrapped
 * text before Ink has drawn anything cost its first frame about 20 ms (wrap-ansi's first calls).
 */
export function stepRoom(input: ChromeInput & { rows: number }): StepRoom {
  let full: number | undefined;
  let compact: number | undefined;
  return {
    columns: input.columns,
    get full() {
      return (full ??= input.rows - 1 - chromeRows(input, false));
    },
    get compact() {
      return (compact ??= input.rows - 1 - chromeRows(input, true));
    },
  };
}

/**
 * The help points shown from `first` on in `rows` (its title, and the ↑/↓ lines when points are left out):
 * as many whole points as fit, at least one.
 */
export function helpWindow(points: readonly string[], first: number, rows: number, columns: number): string[] {
  const shown: string[] = [];
  let used = 1 + (first > 0 ? 1 : 0);
  for (let i = first; i < points.length; i++) {
    // Each point hangs beside its "• " (HelpPanel.tsx).
    const lines = textLines(points[i], columns - 2);
    // The last point needs no "↓ more" line below it.
    const below = i < points.length - 1 ? 1 : 0;
    if (shown.length > 0 && used + lines + below > rows) break;
    shown.push(points[i]);
    used += lines;
  }
  return shown;
}

/** How a block of lines is shown in the room a step has. */
export interface BlockFit {
  /** The compact frame is needed. */
  compact: boolean;
  /** Each line cut to one row (middle truncated), as wrapped lines would not fit. */
  truncate: boolean;
  /** The optional line under the block still fits. */
  note: boolean;
}

/**
 * Fit `lines` (each wrapped as Ink wraps it) between `above` and `below` rows of fixed content, with an
 * optional `note` line: in the full frame if it fits, else the compact one, else one row per line, and
 * without the note when even that is too tall.
 */
export function fitBlock(lines: readonly string[], note: string, fixed: number, room: StepRoom): BlockFit {
  const wrapped = lines.reduce((sum, line) => sum + textLines(line, room.columns), 0);
  const noteRows = textLines(note, room.columns);
  if (fixed + wrapped + noteRows <= room.full) return { compact: false, truncate: false, note: true };
  if (fixed + wrapped + noteRows <= room.compact) return { compact: true, truncate: false, note: true };
  return { compact: true, truncate: true, note: fixed + lines.length + noteRows <= room.compact };
}

/**
 * Rows a question takes while it is asked (Form.tsx): a choice is its label, the options and the tallest
 * hint (shown under the highlighted option, 4 columns in); a text field is its label and value (FIELD_ROWS
 * at most, however long the value), its check's message (MESSAGE_ROWS at most) and the hint.
 */
export function questionRows(question: Question, hint: string | undefined, columns: number): number {
  if (question.options) {
    const hints = question.options.map((option) => (option.hint ? textLines(option.hint, columns - 4) : 0));
    return textLines(question.label, columns) + question.options.reduce((sum, option) => sum + textLines(`❯ ${option.label}`, columns), 0) + Math.max(0, ...hints);
  }
  return Math.max(FIELD_ROWS, textLines(`${question.label}: `, columns)) + MESSAGE_ROWS + (hint ? textLines(hint, columns) : 0);
}

/** Rows a text field's label and value take at most: a longer value (a paste) shows its end. */
export const FIELD_ROWS = 2;
/** Rows a text field's error or warning takes at most (one may quote the value). */
export const MESSAGE_ROWS = 2;

/**
 * `text` as drawn after `before` (and before `after`) in at most `rows` rows: whole when it fits, else its
 * start or its end, as much as fits, with "…" where it was cut. Fewer characters never take more rows, so
 * the longest that fits is found by halving.
 */
export function cutToRows(text: string, rows: number, columns: number, { before = '', after = '', keep }: { before?: string; after?: string; keep: 'start' | 'end' | 'both' }): string {
  const fits = (shown: string) => textLines(`${before}${shown}${after}`, columns) <= rows;
  // More than the rows can hold never fits: search only the part that could (a 40 KB paste took 1.3 s a key).
  const most = rows * Math.max(columns, 1);
  const all = [...text];
  if (all.length <= most && fits(text)) return text;
  if (keep === 'both') {
    // The start (what is wrong) and the end (a message's fix, "(use https://acme.my.salesforce.com)").
    const head = all.slice(0, most);
    const tail = all.slice(-most);
    const both = (n: number) => `${head.slice(0, Math.ceil(n / 2)).join('')}…${tail.slice(tail.length - Math.floor(n / 2)).join('')}`;
    let low = 0;
    let high = Math.min(all.length - 1, most);
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (fits(both(mid))) low = mid;
      else high = mid - 1;
    }
    return both(low);
  }
  const chars = keep === 'end' ? all.slice(-most) : all.slice(0, most);
  const cut = (n: number) => (keep === 'end' ? `…${chars.slice(chars.length - n).join('')}` : `${chars.slice(0, n).join('')}…`);
  let low = 0;
  let high = chars.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(cut(mid))) low = mid;
    else high = mid - 1;
  }
  return cut(low);
}

/** The part of a text field's value to draw: its end when the whole would take more than FIELD_ROWS (typing goes on at the end). */
export function fieldValueShown(label: string, value: string, columns: number): string {
  return cutToRows(value, FIELD_ROWS, columns, { before: `${label}: `, after: ' ', keep: 'end' });
}

/**
 * A text field's error or warning, after its mark, in MESSAGE_ROWS rows at most: its start and its end (where
 * the fix usually is), cut in the middle.
 */
export function fieldMessageShown(message: string, columns: number): string {
  return cutToRows(message, MESSAGE_ROWS, columns, { before: '✗ ', keep: 'both' });
}

/**
 * Answered questions a form keeps above the one asked, one row each (cut to fit), at most `most`: what the
 * rows leave, less one for the "… N earlier" line.
 */
export function answeredToKeep(rows: number, asked: number, most: number): number {
  return Math.max(0, Math.min(most, rows - asked - 1));
}

/** The checklist's heading while items are left, and once all are ticked. */
export function progressHeading(done: number, total: number): string {
  return `Do each in Salesforce Setup, then tick it (Enter): ${done}/${total} done`;
}
export function allDoneHeading(total: number): string {
  return `All ${total}/${total} done: Enter to go on (Space un-ticks)`;
}

/** The instructions sit 4 columns in (Checklist.tsx). */
export const CHECKLIST_INDENT = 4;
const MAX_WINDOW = 7;
/** Fewer items than this in view with the full frame, and the checklist takes the compact one. */
const MIN_WINDOW = 3;

/** The checklist's instructions for one item: where, the values, the note, and the line its tick added. */
export function instructionRows(item: ChecklistItem, columns: number, tickNote?: string): number {
  const width = columns - CHECKLIST_INDENT;
  const lines = [item.path, ...item.values.map((v) => `${v.label}: ${v.value}`), item.note, tickNote === undefined ? undefined : `✓ ${tickNote}`];
  return lines.reduce((sum: number, line) => sum + (line === undefined ? 0 : textLines(line, width)), 0);
}

/**
 * How many items the checklist shows at once in `rows`: one window for the whole list (it does not jump as
 * the cursor moves), sized for its tallest item's instructions. `tickNote` gives the line ticking an item
 * added or may add (the demo's upload). At least 1, even when the tallest item does not fit.
 */
export function checklistWindow(items: readonly ChecklistItem[], rows: number, columns: number, tickNote: (item: ChecklistItem) => string | undefined = () => undefined): number {
  const tallest = Math.max(...items.map((item) => instructionRows(item, columns, tickNote(item))));
  // The heading (or "All done", the same rows or fewer); one row per item (truncated); the ↑ and ↓ lines only
  // when the list is cut.
  const heading = Math.max(textLines(progressHeading(items.length, items.length), columns), textLines(allDoneHeading(items.length), columns));
  const whole = rows - heading - tallest;
  const cut = items.length <= MAX_WINDOW && whole >= items.length ? items.length : rows - heading - 2 - tallest;
  return Math.max(1, Math.min(MAX_WINDOW, items.length, cut));
}

/**
 * The tick note an item has (`notes`), or a line kept for the one it may get: the upload item, when ticking
 * it does the upload (the demo).
 */
export function tickNoteRows(notes: Readonly<Record<string, string>>, uploads: boolean): (item: ChecklistItem) => string | undefined {
  return (item) => notes[item.id] ?? (uploads && item.uploadsCertificate ? '' : undefined);
}

/** The checklist needs the compact frame when the full one leaves room for fewer than 3 items. */
export function checklistNeedsCompact(items: readonly ChecklistItem[], room: StepRoom, tickNote?: (item: ChecklistItem) => string | undefined): boolean {
  return checklistWindow(items, room.full, room.columns, tickNote) < Math.min(MIN_WINDOW, items.length);
}
