import { classifyText } from '../diagnostics/classify.js';
import { entryToJson, renderEntry } from '../diagnostics/render.js';
import { EXIT, UserError } from '../errors.js';
import { terminalWidth } from '../output/wrap.js';
import { print, printJson, type CommandContext } from './context.js';

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return decodePaste(Buffer.concat(chunks));
}

/**
 * Text as a shell or editor saved it: UTF-8, or UTF-16 (Windows PowerShell 5.1's `>` writes UTF-16LE with a
 * byte-order mark; without one, many NUL bytes give it away).
 */
export function decodePaste(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2))).swap16().toString('utf16le');
  const nulAtOdd = bytes.filter((byte, i) => i % 2 === 1 && byte === 0).length;
  if (bytes.length >= 4 && nulAtOdd > bytes.length / 4) return bytes.toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** `sf-setup explain <text...>`: the knowledge-base entry for a pasted error. Exit 1 when nothing matches. */
export async function runExplain(words: string[], options: { json?: boolean }, ctx: CommandContext): Promise<number> {
  const fromStdin = words.length === 1 && words[0] === '-';
  // At a terminal, `-` waits for a paste: say so, on stderr (stdout may be --json).
  if (fromStdin && ctx.stdin.isTTY) ctx.stderr.write(ctx.errStyle.dim('Paste the error, then press Ctrl+D on a new line (Ctrl+Z, Enter on Windows).\n'));
  const text = fromStdin ? await readStdin(ctx.stdin) : words.join(' ');
  if (!text.trim()) {
    throw new UserError('usage', fromStdin ? 'nothing to explain: standard input was empty' : 'nothing to explain: the text is empty', {
      fix: 'give the error text: `sf-setup explain "invalid_grant: ip restricted"`, or pipe it: `pbpaste | sf-setup explain -`',
    });
  }
  const match = classifyText(text);
  if (!match) {
    const fix = 'paste the whole error (e.g. the JSON body {"error": ..., "error_description": ...}), or run `sf-setup doctor`';
    if (options.json) {
      printJson(ctx, { ok: false, code: null, message: 'no entry matches that text', fix: [fix] });
    } else {
      ctx.stderr.write(`${ctx.errStyle.red('✗')} No entry matches that text.\n  fix: ${fix}.\n`);
    }
    return EXIT.failed;
  }
  if (options.json) {
    const { code, title, summary, causes, fix, confidence } = entryToJson(match.entry);
    printJson(ctx, {
      ok: true,
      code,
      title,
      summary,
      causes,
      fix,
      confidence,
      error: match.error ?? null,
      errorDescription: match.errorDescription ?? null,
      fromErrorValueOnly: Boolean(match.errorOnly),
      // The text matched without Salesforce's own words (a paraphrase or a guide's wording): a likely reading.
      looseMatch: match.loose !== undefined,
      // Other errors in the same text, earliest first; the entry above is the last one.
      alsoFound: (match.alsoFound ?? []).map((other) => other.code),
    });
  } else {
    print(ctx, renderEntry(match, ctx.style, terminalWidth(ctx.stdout)));
  }
  return EXIT.ok;
}
