import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UserError } from '../errors.js';
import { emulatorConfig, SCENARIOS, startEmulator, type ScenarioName } from '../emulator/index.js';
import { loadCertificate } from '../keys/index.js';
import { emulatorOrgName, saveOrgConfig } from './config.js';
import { print, type CommandContext } from './context.js';

export interface EmulatorCommandOptions {
  /** Absent: any free port. */
  port?: string;
  scenario: string;
  cert?: string;
  clientId?: string;
  username?: string;
  sandbox?: boolean;
  writeConfig?: boolean;
  list?: boolean;
}

/** Validate a scenario name from the command line. */
export function scenarioName(name: string): ScenarioName {
  if (name in SCENARIOS) return name as ScenarioName;
  throw new UserError('usage', `unknown scenario "${name}"`, {
    fix: `choose one of: ${Object.keys(SCENARIOS).join(', ')}`,
  });
}

export function listScenarios(ctx: CommandContext): void {
  const width = Math.max(...Object.keys(SCENARIOS).map((name) => name.length));
  for (const [name, scenario] of Object.entries(SCENARIOS) as [string, { description: string }][]) print(ctx, `  ${name.padEnd(width)}  ${scenario.description}`);
}

/** A port that cannot be had is the user's to fix (another --port), not a bug. */
function listenError(error: unknown, port: number): UserError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new UserError('usage', `port ${port} on 127.0.0.1 is already in use`, { fix: 'choose another --port, or --port 0 for any free port', cause: error });
  }
  if (code === 'EACCES') {
    return new UserError('usage', `not allowed to listen on port ${port} (ports below 1024 need privileges)`, { fix: 'choose a port above 1023, or --port 0 for any free port', cause: error });
  }
  return undefined;
}

/** `sf-setup emulator`: an emulated org in the foreground until Ctrl+C. */
export async function runEmulator(options: EmulatorCommandOptions, ctx: CommandContext): Promise<number> {
  if (options.list) {
    listScenarios(ctx);
    return EXIT.ok;
  }
  const scenario = scenarioName(options.scenario);
  const port = Number(options.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError('usage', `--port must be a port number (0-65535), got "${options.port}"`, { fix: 'use --port 0 for any free port' });
  }
  const defaultCert = path.join(ctx.cwd, 'certs', 'server.crt');
  const certPath = options.cert ? path.resolve(ctx.cwd, options.cert) : existsSync(defaultCert) ? defaultCert : undefined;
  const certificates = certPath ? [loadCertificate({ path: certPath }).pem] : [];

  const org = await startEmulator({ port, scenario, certificates, clientId: options.clientId, username: options.username, sandbox: options.sandbox }).catch((error: unknown) => {
    throw listenError(error, port) ?? error;
  });
  const { green, dim, bold, yellow } = ctx.style;
  print(ctx, `${green('✓')} Emulated Salesforce org on ${bold(org.url)} ${dim(`(scenario: ${scenario})`)}`);
  print(ctx, `  Token URL     ${org.tokenUrl}`);
  print(ctx, `  Audience      ${org.audience}`);
  print(ctx, `  Consumer Key  ${org.clientId}`);
  print(ctx, `  Username      ${org.username}`);
  if (certPath) print(ctx, `  Certificate   ${path.relative(ctx.cwd, certPath)} ${dim('(uploaded to the emulated app)')}`);
  else print(ctx, `${yellow('!')} No certificate uploaded: every assertion will fail with "invalid assertion". Pass --cert certs/server.crt.`);

  const snippet = emulatorConfig(org);

  if (options.writeConfig) {
    const file = path.join(ctx.cwd, '.sfconnect.json');
    // A config that cannot be written ends the run: the org stops first, or it would listen on forever.
    let target: string | undefined;
    let saved: Awaited<ReturnType<typeof saveOrgConfig>>;
    try {
      target = await emulatorOrgName(file);
      saved = await saveOrgConfig({ file, org: target, values: snippet });
    } catch (error) {
      await org.close();
      throw error;
    }
    const shown = path.relative(ctx.cwd, saved.path);
    if (target) {
      print(ctx, `${green('✓')} Added org "${target}" to ${shown}; the default org is unchanged. Use it with ${bold(`sf-setup test --org ${target}`)} (or doctor --org ${target}).`);
    } else {
      print(ctx, `${green('✓')} ${saved.created ? 'Wrote' : 'Updated'} ${shown} to point at the emulator.`);
    }
    if (port === 0) print(ctx, dim('  The port changes on each start; pass --port to keep the config valid.'));
  } else {
    print(ctx);
    print(ctx, '.sfconnect.json for this org (or run with --write-config):');
    print(ctx, JSON.stringify(snippet, null, 2));
  }
  print(ctx);
  print(ctx, dim('Requests are logged below. Ctrl+C stops the org.'));

  let shown = 0;
  const showRequests = () => {
    for (; shown < org.requests.length; shown++) {
      const r = org.requests[shown];
      const outcome = r.error ? `${r.error}${r.errorDescription ? `: ${r.errorDescription}` : ''}` : '';
      print(ctx, `  ${dim(new Date(r.time).toISOString().slice(11, 19))} ${r.method} ${r.path} ${r.status} ${outcome}`.trimEnd());
    }
  };
  const timer = setInterval(showRequests, 200);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  showRequests();
  await org.close();
  print(ctx, dim('Emulated org stopped.'));
  return EXIT.ok;
}
