import { classifyText } from '../diagnostics/classify.js';
import { entryToJson, renderEntry } from '../diagnostics/render.js';
import { EXIT, UserError } from '../errors.js';
import { terminalWidth } from '../output/wrap.js';
import { print, printJson, type CommandContext } from './context.js';

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
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
    if (options.json) {
      printJson(ctx, { ok: false, code: null, message: 'no entry matches that text' });
    } else {
      ctx.stderr.write(
        `${ctx.errStyle.red('✗')} No entry matches that text.\n  fix: paste the whole error (e.g. the JSON body {"error": ..., "error_description": ...}), or run \`sf-setup doctor\`.\n`,
      );
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
    });
  } else {
    print(ctx, renderEntry(match, ctx.style, terminalWidth(ctx.stdout)));
  }
  return EXIT.ok;
}
