import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { readConfigFile } from '../config/index.js';
import { CHECKS } from '../doctor/checks.js';
import { REPORT_HEADING, renderReport } from '../doctor/report.js';
import { renderOutcome, reportToJson, summaryLine } from '../doctor/render-text.js';
import { createState, runChecks } from '../doctor/run.js';
import type { DoctorOptions as CheckOptions, DoctorReport, DoctorState, Repair } from '../doctor/types.js';
import { EXIT, UserError } from '../errors.js';
import { checkWritableFile, writeFileAtomic } from '../fs-util.js';
import { packageVersion } from '../version.js';
import { isInteractive, print, printJson, timeoutMs, type CommandContext } from './context.js';
import { importWithoutFetch } from './load-ink.js';

export interface DoctorOptions {
  org?: string;
  all?: boolean;
  config?: string;
  offline?: boolean;
  timeout?: string;
  strict?: boolean;
  fix?: boolean;
  yes?: boolean;
  report?: string;
  detectIp?: boolean;
  allowUntrustedHost?: boolean;
  verbose?: boolean;
  json?: boolean;
}

/** At most this many orgs are checked at once by --all. */
export const ALL_CONCURRENCY = 8;

function checkOptions(options: DoctorOptions, org?: string): CheckOptions {
  return {
    configPath: options.config,
    org: org ?? options.org,
    offline: Boolean(options.offline),
    timeoutMs: timeoutMs(options.timeout, 10),
    allowUntrustedHost: options.allowUntrustedHost,
    detectIp: options.detectIp,
  };
}


/** Run every check for one org; `live` prints each result as it arrives. */
export async function diagnose(ctx: CommandContext, options: DoctorOptions, org?: string, live?: (text: string) => void): Promise<{ report: DoctorReport; state: DoctorState }> {
  const state = createState(ctx.cwd, ctx.env, checkOptions(options, org));
  const report = await runChecks(CHECKS, state, live ? { onResult: (outcome) => live(renderOutcome(outcome, ctx.style, Boolean(options.verbose), ctx.stdout.isTTY ? ctx.stdout.columns : undefined)) } : {}, options.strict);
  return { report, state };
}

/** `sf-setup doctor`. */
export async function runDoctor(options: DoctorOptions, ctx: CommandContext): Promise<number> {
  if (options.yes && !options.fix) throw new UserError('usage', '--yes only makes sense with --fix', { fix: 'run `sf-setup doctor --fix --yes`' });
  if (options.all && options.org) throw new UserError('usage', '--all checks every org; --org names one', { fix: 'drop one of them: `sf-setup doctor --all` or `sf-setup doctor --org NAME`' });
  if (options.all && options.fix) throw new UserError('usage', '--fix repairs one org at a time', { fix: 'run `sf-setup doctor --org NAME --fix` for the org that needs it' });
  // A report that cannot be written is said now, not after every check has run.
  if (options.report !== undefined && options.report.trim() === '') {
    throw new UserError('usage', '--report needs a file name', { fix: 'e.g. sf-setup doctor --report support.md' });
  }
  const reportFile = options.report ? path.resolve(ctx.cwd, options.report) : undefined;
  if (reportFile) await checkReportTarget(reportFile, ctx);
  if (options.all) return runDoctorAll(options, ctx, reportFile);

  // A terminal gets the live Ink screen (spinners, `f` to repair); pipes, CI and --json get text or JSON.
  // The decision is made before anything of Ink is loaded.
  const interactive = !options.json && !options.yes && isInteractive(ctx);
  if (interactive) return runDoctorScreen(options, ctx, reportFile);

  if (!options.json) {
    print(ctx, ctx.style.bold('sf-setup doctor') + ctx.style.dim(options.offline ? '  (offline: local checks only)' : ''));
    print(ctx);
  }
  const { report, state } = await diagnose(ctx, options, undefined, options.json ? undefined : (text) => print(ctx, text));

  if (reportFile) {
    await writeReport(reportFile, [{ report, state }], ctx);
    if (!options.json) print(ctx, ctx.style.dim(`\n${reportWritten(reportFile, ctx)}`));
  }

  if (options.json) {
    printJson(ctx, reportToJson(report));
  } else {
    print(ctx);
    print(ctx, summaryLine(report, ctx.style));
  }

  if (options.fix) {
    const repairs = report.checks.filter((c) => c.repair).map((c) => ({ title: c.title, repair: c.repair! }));
    const changed = await applyRepairs(repairs, options, ctx);
    if (changed && !options.json) print(ctx, ctx.style.dim('Run `sf-setup doctor` again to confirm.'));
  } else if (!options.json && report.checks.some((c) => c.repair)) {
    print(ctx, ctx.style.dim('Some of this can be repaired on the spot: run `sf-setup doctor --fix`.'));
  }
  return report.exitCode;
}

async function runDoctorScreen(options: DoctorOptions, ctx: CommandContext, reportFile: string | undefined): Promise<number> {
  const state = createState(ctx.cwd, ctx.env, checkOptions(options));
  const { renderDoctor } = await importWithoutFetch(() => import('../../screens/doctor/index.js'));
  let report: DoctorReport | undefined;
  const code = await renderDoctor({
    titles: CHECKS.map(({ id, title }) => ({ id, title })),
    run: async (hooks) => (report = await runChecks(CHECKS, state, hooks, options.strict)),
    style: ctx.style,
    verbose: Boolean(options.verbose),
    offline: Boolean(options.offline),
    fix: Boolean(options.fix),
  });
  if (reportFile && report) {
    await writeReport(reportFile, [{ report, state }], ctx);
    print(ctx, ctx.style.dim(reportWritten(reportFile, ctx)));
  }
  return code;
}

/**
 * The report may go to `file`: it can be written, and it is new or an earlier report (which it replaces).
 * Anything else there (a key, the config, a document) is refused: `--report certs/server.key` replaced the key.
 */
async function checkReportTarget(file: string, ctx: CommandContext): Promise<void> {
  await checkWritableFile(file);
  const why = await notAReport(file);
  if (why) {
    const shown = path.relative(ctx.cwd, file) || file;
    throw new UserError('usage', `${shown} ${why}; it was left as it is`, {
      fix: 'name a new file for the report, e.g. --report support.md (an earlier report there is replaced)',
    });
  }
}

/**
 * Why `file` must not be replaced by a report, or undefined when it may: it does not exist, or it is a
 * regular file that starts as a report does. Anything that cannot be read to tell (no read permission, a
 * FIFO, a device) is refused too.
 */
async function notAReport(file: string): Promise<string | undefined> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error));
  if (info === undefined) return undefined;
  if (info instanceof Error || !info.isFile()) return 'exists and is not an sf-setup report';
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return 'exists and cannot be read to tell whether it is an earlier report';
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(REPORT_HEADING.length), 0, REPORT_HEADING.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8') === REPORT_HEADING ? undefined : 'exists and is not an sf-setup report';
  } finally {
    await handle.close();
  }
}

/**
 * The redacted Markdown report of one org, or of each org in turn (--all), written 0600. The target is
 * checked again: a file may have appeared there while the checks ran.
 */
async function writeReport(file: string, results: { report: DoctorReport; state: DoctorState }[], ctx: CommandContext): Promise<void> {
  await checkReportTarget(file, ctx);
  const text = results.map(({ report, state }) => renderReport(report, state, packageVersion())).join('\n---\n\n');
  await writeFileAtomic(file, text, { mode: 0o600 });
}

function reportWritten(file: string, ctx: CommandContext): string {
  return `Report written to ${path.relative(ctx.cwd, file) || file} (no keys or tokens; usernames and consumer keys masked).`;
}

/** Show each repair and apply it only with a yes (--yes, or a prompt in a terminal). Returns how many ran. */
async function applyRepairs(repairs: { title: string; repair: Repair }[], options: DoctorOptions, ctx: CommandContext): Promise<number> {
  const log = (text: string) => (options.json ? ctx.stderr.write(`${text}\n`) : print(ctx, text));
  if (repairs.length === 0) {
    log('Nothing to repair automatically.');
    return 0;
  }
  const interactive = isInteractive(ctx);
  let applied = 0;
  for (const { title, repair } of repairs) {
    let yes = Boolean(options.yes);
    if (!yes && interactive) {
      const { default: confirm } = await import('@inquirer/confirm');
      yes = await confirm({ message: `${title}: ${repair.description}?`, default: true });
    }
    if (!yes) {
      log(`- not changed: ${repair.description}${interactive ? '' : ' (no terminal to ask; add --yes to accept)'}`);
      continue;
    }
    log(`${ctx.style.green('✓')} ${await repair.apply()}`);
    applied++;
  }
  return applied;
}

/** `doctor --all`: every org of the config, concurrently (bounded), as a board of cards. */
async function runDoctorAll(options: DoctorOptions, ctx: CommandContext, reportFile: string | undefined): Promise<number> {
  const file = path.resolve(ctx.cwd, options.config ?? '.sfconnect.json');
  const raw = await readConfigFile(file);
  if (!raw.exists) throw new UserError('config_missing', `${path.relative(ctx.cwd, file) || file} does not exist`, { fix: 'run `npx sf-setup` or `sf-setup config` first' });
  const names = raw.orgNames.length ? raw.orgNames : [undefined];
  const results: { name: string | undefined; report: DoctorReport; state: DoctorState }[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const index = next++;
      const { report, state } = await diagnose(ctx, options, names[index]);
      results[index] = { name: names[index], report, state };
    }
  };
  await Promise.all(Array.from({ length: Math.min(ALL_CONCURRENCY, names.length) }, worker));
  if (reportFile) await writeReport(reportFile, results, ctx);

  if (options.json) {
    // One object, like every other --json: ok for the whole run, then each org's report.
    const orgs = results.map(({ name, report }) => ({ ...reportToJson(report), org: name ?? report.org }));
    printJson(ctx, { ok: orgs.every((org) => org.ok), orgs });
  } else {
    const { renderBoard } = await import('../doctor/board.js');
    print(ctx, renderBoard(results, ctx.style, ctx.stdout.columns ?? 80));
    if (reportFile) print(ctx, ctx.style.dim(reportWritten(reportFile, ctx)));
  }
  const codes = results.map((r) => r.report.exitCode);
  return codes.includes(EXIT.usage) ? EXIT.usage : codes.includes(EXIT.failed) ? EXIT.failed : EXIT.ok;
}
