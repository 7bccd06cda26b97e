import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, staleInstanceUrl } from '../config/index.js';
import { renderEntry } from '../diagnostics/render.js';
import { classifyText } from '../diagnostics/classify.js';
import { findEntry } from '../diagnostics/knowledge-base.js';
import { rankCauses } from '../diagnostics/rank.js';
import { shownPath } from '../output/paths.js';
import { terminalWidth, wrapLines } from '../output/wrap.js';
import { EXIT, isUserError } from '../errors.js';
import { runTokenTest } from '../salesforce/token-test.js';
import { SalesforceError } from '../salesforce/token.js';
import { print, printJson, timeoutMs, type CommandContext } from './context.js';
import { loadKeyAsking } from './key-prompt.js';

export interface TestOptions {
  org?: string;
  config?: string;
  timeout?: string;
  allowUntrustedHost?: boolean;
  json?: boolean;
}

/**
 * The certificate's end, when it is near or past: Salesforce reportedly keeps accepting an expired one, so a
 * passing test would otherwise say nothing of it. A certificate that cannot be read is the doctor's business.
 */
async function certificateWarnings(certificatePath: string | undefined, cwd: string): Promise<string[]> {
  if (!certificatePath || !existsSync(certificatePath)) return [];
  const [{ loadCertificate }, { expiryFinding }] = await Promise.all([import('../keys/load-certificate.js'), import('../keys/expiry.js')]);
  try {
    const ending = expiryFinding(loadCertificate({ path: certificatePath }), shownPath(cwd, certificatePath));
    if (!ending) return [];
    return [ending.status === 'fail' ? `${ending.detail}; Salesforce reportedly still accepts it, but rotate now: \`sf-setup rotate\`` : `${ending.detail}; rotate before then: \`sf-setup rotate\``];
  } catch {
    return [];
  }
}

/** `sf-setup test`: the live token test, with the seed's success lines or the knowledge-base entry. */
export async function runTest(options: TestOptions, ctx: CommandContext): Promise<number> {
  const config = await loadConfig({
    cwd: ctx.cwd,
    configPath: options.config,
    org: options.org,
    env: ctx.env,
    allowUntrustedHost: options.allowUntrustedHost,
  });
  const warnings = [...config.warnings, ...(await certificateWarnings(config.values.certificatePath, ctx.cwd))];
  for (const warning of warnings) if (!options.json) ctx.stderr.write(`${ctx.errStyle.yellow('!')} ${warning}\n`);
  try {
    const key = await loadKeyAsking(config.values, ctx, !options.json);
    const result = await runTokenTest(config.values, { timeoutMs: timeoutMs(options.timeout, 10), env: ctx.env }, { key });
    const username = result.user.username ?? config.values.username;
    if (options.json) {
      printJson(ctx, {
        ok: true,
        org: config.org,
        instanceUrl: result.instanceUrl,
        apiVersion: result.apiVersion,
        latestApiVersion: result.latestApiVersion ?? null,
        user: username,
        orgId: result.user.orgId ?? null,
        userId: result.user.userId ?? null,
        scopes: result.token.scopes,
        warnings,
      });
      return EXIT.ok;
    }
    const { green } = ctx.style;
    print(ctx, `${green('✓')} Authentication successful!`);
    print(ctx, `${green('✓')} Instance URL: ${result.instanceUrl}`);
    print(ctx, `${green('✓')} API Version: ${result.apiVersion}`);
    print(ctx, `${green('✓')} User: ${username}`);
    if (result.user.orgId) print(ctx, ctx.style.dim(`  Org ID: ${result.user.orgId}   User ID: ${result.user.userId ?? '?'}`));
    if (result.latestApiVersion && result.latestApiVersion !== result.apiVersion) {
      print(ctx, ctx.style.dim(`  The org supports up to ${result.latestApiVersion}.`));
    }
    const stale = staleInstanceUrl(config, result.instanceUrl);
    if (stale) print(ctx, `${ctx.style.yellow('!')} ${stale.setting} is ${stale.configured}; Salesforce says the org is at ${result.instanceUrl} (${stale.fix}).`);
    return EXIT.ok;
  } catch (error) {
    if (!isUserError(error) || error.exitCode !== EXIT.failed) throw error;
    const classification =
      error instanceof SalesforceError ? error.classification : { entry: findEntry(error.code) ?? classifyText(error.code)?.entry };
    // What the config knows ranks the causes and adds steps (the authorize URL, the listed addresses).
    const { values } = config;
    const ranked = classification.entry
      ? rankCauses(classification.entry.code, { certificateFile: values.certificatePath ? shownPath(ctx.cwd, values.certificatePath) : undefined, tokenUrl: values.tokenUrl, clientId: values.clientId, username: values.username, egressIps: values.egressIps, audienceDerived: config.sources.audience === 'default' }, classification.entry)
      : undefined;
    // The run-specific fix ("set apiVersion to v66.0", the proxy step) comes before the entry's general steps,
    // unless it is an entry step the ranking dropped for this setup (a SalesforceError's fix is the entry's
    // first step: unsupported_grant_type's "POST … as a form", which sf-setup always does).
    const dropped = Boolean(error.fix && ranked && classification.entry?.fix.includes(error.fix) && !ranked.fix.includes(error.fix));
    const fix = [...new Set([...(error.fix && !dropped ? [error.fix] : []), ...(ranked?.fix ?? [])])];
    if (options.json) {
      printJson(ctx, {
        ok: false,
        org: config.org,
        code: error.code,
        message: error.message,
        error: error instanceof SalesforceError ? error.classification.error ?? null : null,
        errorDescription: error instanceof SalesforceError ? error.classification.errorDescription ?? null : null,
        fix,
        warnings,
      });
      return error.exitCode;
    }
    const width = terminalWidth(ctx.stderr);
    ctx.stderr.write(`${wrapLines([`${ctx.errStyle.red('✗')} Authentication failed: ${error.message}`], width)}\n\n`);
    if (classification.entry) {
      const entry = { ...classification.entry, causes: ranked?.causes ?? classification.entry.causes, fix };
      ctx.stderr.write(`${renderEntry({ ...classification, entry }, ctx.errStyle, width)}\n`);
    } else if (error.fix) {
      ctx.stderr.write(`  fix: ${error.fix}\n`);
    }
    return error.exitCode;
  }
}
