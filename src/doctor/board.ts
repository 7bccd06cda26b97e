import type { Style } from '../output/style.js';
import type { DoctorReport } from './types.js';

export type CardColour = 'green' | 'orange' | 'red' | 'grey';

/**
 * Red: a check failed. Green: a token was obtained and nothing warned; orange: a token was obtained, with
 * warnings (a certificate expiring). Grey: nothing failed but no token was asked for (--offline), so whether
 * it works is not known.
 */
export function cardColour(report: DoctorReport): CardColour {
  if (!report.ok) return 'red';
  const tokenObtained = report.checks.some((c) => c.id === 'token' && (c.status === 'pass' || c.status === 'warn'));
  if (!tokenObtained) return 'grey';
  return report.summary.warn > 0 ? 'orange' : 'green';
}

const LOOK: Record<CardColour, { label: string; paint: (style: Style) => (text: string) => string }> = {
  green: { label: 'OK', paint: (style) => style.green },
  orange: { label: 'WARN', paint: (style) => style.orange },
  red: { label: 'FAIL', paint: (style) => style.red },
  grey: { label: 'NOT TESTED', paint: (style) => style.dim },
};

function cardReason(report: DoctorReport): string {
  const failed = report.checks.find((c) => c.status === 'fail');
  if (failed) return `✗ ${failed.title}: ${failed.code ? `[${failed.code}] ` : ''}${failed.detail}`;
  const warned = report.checks.find((c) => c.status === 'warn');
  if (warned) return `! ${warned.title}: ${warned.detail}`;
  const token = report.checks.find((c) => c.id === 'token');
  return token?.status === 'pass' ? `✓ ${token.detail}` : '- all local checks passed; no token requested';
}

/**
 * The card's reason in at most four lines of exactly `width` or fewer columns. Not output/wrap.ts's wrapLine:
 * inside a border every line must fit, so long words (URLs, ids) are cut, and a fifth line is dropped with
 * "…" at the end of the fourth (the full text is in `sf-setup doctor --org <name>`).
 */
function wrapInCard(text: string, width: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const chunked = word.length > width ? word.match(new RegExp(`.{1,${width}}`, 'g'))! : [word];
    for (const piece of chunked) {
      if (line && line.length + 1 + piece.length > width) {
        lines.push(line);
        line = piece;
      } else {
        line = line ? `${line} ${piece}` : piece;
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length <= MAX_REASON_LINES) return lines;
  const kept = lines.slice(0, MAX_REASON_LINES);
  kept[MAX_REASON_LINES - 1] = `${kept[MAX_REASON_LINES - 1].slice(0, width - 1)}…`;
  return kept;
}

const MAX_REASON_LINES = 4;

/** The board of `doctor --all`: one bordered card per org; the border colour says its state. */
export function renderBoard(results: { name: string | undefined; report: DoctorReport }[], style: Style, columns: number): string {
  const width = Math.max(40, Math.min(columns, 80) - 2);
  const inner = width - 4;
  const cards = results.map(({ name, report }) => {
    const colour = cardColour(report);
    const paint = LOOK[colour].paint(style);
    const label = LOOK[colour].label;
    const title = ` ${name ?? report.org ?? 'default'} · ${label} `;
    const top = paint(`╭─${title}${'─'.repeat(Math.max(0, width - 3 - title.length))}╮`);
    const body = wrapInCard(cardReason(report), inner).map((line) => `${paint('│')} ${line.padEnd(inner)} ${paint('│')}`);
    const stats = `${report.summary.fail} failed, ${count(report.summary.warn, 'warning')}, ${report.summary.pass} passed`;
    body.push(`${paint('│')} ${style.dim(stats.padEnd(inner))} ${paint('│')}`);
    const bottom = paint(`╰${'─'.repeat(width - 2)}╯`);
    return [top, ...body, bottom].join('\n');
  });
  const counts = { green: 0, orange: 0, red: 0, grey: 0 };
  for (const { report } of results) counts[cardColour(report)]++;
  // A card not tested may still have warned (a certificate expiring): the count says so, as its card does.
  const greyWarned = results.filter(({ report }) => cardColour(report) === 'grey' && report.summary.warn > 0).length;
  const untested = counts.grey ? `, ${style.dim(`${counts.grey} not tested (no token requested${greyWarned ? `; ${greyWarned} of them with warnings` : ''})`)}` : '';
  cards.push(`${results.length} ${results.length === 1 ? 'org' : 'orgs'}: ${style.green(`${counts.green} OK`)}, ${style.orange(`${counts.orange} with warnings`)}, ${style.red(`${counts.red} failing`)}${untested}`);
  // A card holds the first problem only: every problem, its causes and its fix are one command away.
  const first = results.find(({ report }) => cardColour(report) !== 'green');
  if (first) cards.push(style.dim(`Every problem with its fix: sf-setup doctor${first.name ? ` --org ${first.name}` : ''}${first.name && results.length > 1 ? ' (and so on for each org)' : ''}`));
  return cards.join('\n');
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
