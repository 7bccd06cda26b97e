/** Wrapping prose to a terminal's width, shared by the wizard's summary and the doctor's text. */

const ANSI = /\u001B\[[0-9;]*m/g;

/**
 * Wrap one line of prose to `width` columns at spaces, continuation lines indented two more than the first.
 * A `code span` is never broken, nor is a line that is a command (`export ...`): a command cut in two
 * cannot be pasted, so it is left for the terminal to wrap.
 */
export function wrapLine(line: string, width: number): string[] {
  const visible = line.replace(ANSI, '');
  if ([...visible].length <= width || /^\s*export\s/.test(visible)) return [line];
  const indent = /^\s*/.exec(line)![0];
  const words = line.slice(indent.length).match(/`[^`]*`\S*|\S+/g) ?? [];
  const lines: string[] = [];
  let current = indent;
  let empty = true;
  const next = `${indent}  `;
  for (const word of words) {
    const length = (text: string) => [...text.replace(ANSI, '')].length;
    if (!empty && length(current) + 1 + length(word) > width) {
      lines.push(current);
      current = next + word;
    } else current = empty ? current + word : `${current} ${word}`;
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** Lines wrapped by wrapLine to `width`, joined; as they are when there is no width (a pipe, a file). */
export function wrapLines(lines: readonly string[], width: number | undefined): string {
  return (width ? lines.flatMap((line) => wrapLine(line, width)) : lines).join('\n');
}

/** The width of a terminal stream; undefined for a pipe or a file (their lines are left whole). */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  return stream.isTTY ? stream.columns : undefined;
}
