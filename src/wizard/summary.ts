import path from 'node:path';
import type { Style } from '../output/style.js';
import type { TokenTestOutcome } from './actions.js';
import { ciSummary } from './ci.js';
import type { WizardData } from './controller.js';

/** The seed guide's success lines, plus org id and user id. */
export function successLines(result: TokenTestOutcome, style: Style): string[] {
  const ok = style.green('✓');
  const lines = [
    `${ok} Authentication successful!`,
    `${ok} Instance URL: ${result.instanceUrl}`,
    `${ok} API Version: ${result.apiVersion}`,
    `${ok} User: ${result.username}`,
  ];
  if (result.orgId) lines.push(`${ok} Org ID: ${result.orgId}${result.userId ? `  User ID: ${result.userId}` : ''}`);
  return lines;
}

export { wrapLine } from '../output/wrap.js';
import { wrapLine } from '../output/wrap.js';

/**
 * The closing summary: what was created and where, the CI variables, and the next commands. With `width`
 * (the terminal's columns) prose is wrapped to it, so a 60-column terminal does not cut words in two.
 */
export function finalSummary(data: WizardData, options: { cwd: string; style: Style; width?: number }): string[] {
  const lines = summaryLines(data, options);
  const width = options.width;
  return width && width >= 20 ? lines.flatMap((line) => wrapLine(line, width)) : lines;
}

function summaryLines(data: WizardData, options: { cwd: string; style: Style }): string[] {
  const { style, cwd } = options;
  const rel = (p: string) => {
    const r = path.relative(cwd, p);
    return r && !r.startsWith('..') ? r : p;
  };
  const lines: string[] = [style.bold('What you have now')];
  if (data.keys) {
    lines.push(`  ${rel(data.keys.keyPath)}  private key (mode 0600, git-ignored: keep it secret)`);
    lines.push(`  ${rel(data.keys.certificatePath)}  certificate (uploaded to the app)`);
  }
  for (const backup of data.backups ?? []) lines.push(`  ${rel(backup)}  backup of the previous file`);
  if (data.configPath) lines.push(`  ${rel(data.configPath)}  configuration`);
  lines.push(`  .gitignore  lists the key and the config${data.gitignoreAdded?.length ? ` (added ${data.gitignoreAdded.join(', ')})` : ''}`);
  if (data.config && data.keys) {
    const ci = ciSummary(data.config, { cwd, keyPath: data.keys.keyPath });
    lines.push('', style.bold('For CI, set these environment variables'));
    for (const line of ci.exports) lines.push(`  ${line}`);
    for (const line of ci.secretAdvice) lines.push(`  ${line}`);
  }
  lines.push('', style.bold('Next'));
  lines.push('  sf-setup test     log in again at any time');
  lines.push('  sf-setup doctor   check everything and explain any failure');
  return lines;
}

/** How the wizard ended without finishing, for the closing lines both front ends print. */
export type StopReason = 'interrupted' | 'test_failed' | 'doctor';

/**
 * The lines printed after the wizard stops early, so the terminal does not end on a frame that still says
 * "Ctrl+C quit": what is saved, and the command that goes on from there.
 */
export function stoppedLines(reason: StopReason, style: Style): string[] {
  switch (reason) {
    case 'interrupted':
      return [`${style.yellow('!')} Stopped. No file is left half-written; run \`sf-setup init\` to go on from what is saved.`];
    case 'test_failed':
      return [`${style.red('✗')} The token test failed; your files stay. After the fix the card names, run \`sf-setup test\` (or \`sf-setup doctor\` for every check).`];
    case 'doctor':
      return [`When it is fixed: \`sf-setup test\`, or \`sf-setup init\` to go on with the wizard.`];
  }
}
