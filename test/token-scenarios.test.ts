import { afterEach, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../src/emulator/index.js';
import { hasStackTrace, runCli } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';

const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});
async function project(scenario: ScenarioName, extra: Parameters<typeof orgProject>[0] = {}) {
  const p = await orgProject({ scenario, ...extra });
  projects.push(p);
  return p;
}

/** Each emulated failure and the knowledge-base code `sf-setup test` must name, with a word its fix must contain. */
const FAILURES: [ScenarioName, string, RegExp][] = [
  ['user_not_approved', 'user_not_approved', /Admin approved users are pre-authorized/],
  ['key_mismatch', 'invalid_signature', /Use digital signatures/],
  ['invalid_client_id', 'invalid_client_id', /Consumer Key/],
  // With a derived aud (the project sets none), the setting to fix is the token URL (rank.ts, as the doctor).
  ['audience_invalid', 'audience_invalid', /tokenUrl/],
  ['ip_restricted', 'ip_restricted', /Login IP Ranges/],
  ['login_hours', 'ip_restricted', /Login Hours/],
  ['user_inactive', 'user_inactive', /Active/],
  ['org_inactive', 'org_inactive', /org/],
  ['not_assigned', 'user_not_assigned', /Manage Profiles/],
  ['scope_missing', 'scope_missing', /refresh_token, offline_access/],
  ['rate_limited', 'rate_limited', /Reuse the access token/],
  ['maintenance', 'unexpected_response', /status\.salesforce\.com/],
  ['clock_ahead', 'assertion_expired', /clock/],
];

describe('sf-setup test against the emulated org', () => {
  it('succeeds with the seed guide\'s lines', async () => {
    const p = await project('ok');
    const result = await runCli(['test'], { cwd: p.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ Authentication successful!');
    expect(result.stdout).toContain(`✓ Instance URL: ${p.org.url}`);
    expect(result.stdout).toContain('✓ API Version: v59.0');
    expect(result.stdout).toContain(`✓ User: ${p.org.username}`);
    expect(result.stdout).toMatch(/Org ID: 00D/);
  });

  it('a stale instanceUrl is named with the fix for where it was set: --fix for the file, SF_INSTANCE_URL for a variable', async () => {
    const p = await project('ok');
    const fromEnv = await runCli(['test'], { cwd: p.dir, env: { SF_INSTANCE_URL: 'https://old.my.salesforce.com' } });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toMatch(/! SF_INSTANCE_URL is https:\/\/old\.my\.salesforce\.com; Salesforce says the org is at .*set SF_INSTANCE_URL to it/);
    expect(fromEnv.stdout).not.toMatch(/doctor --fix/);
    const file = `${p.dir}/.sfconnect.json`;
    const { readFile, writeFile } = await import('node:fs/promises');
    await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), instanceUrl: 'https://old.my.salesforce.com' }));
    const fromFile = await runCli(['test'], { cwd: p.dir });
    expect(fromFile.stdout).toMatch(/! instanceUrl in \.sfconnect\.json is https:\/\/old\.my\.salesforce\.com; .*`sf-setup doctor --fix` updates it/);
  });

  it('--json success has ok, instanceUrl, apiVersion, user, orgId and no token', async () => {
    const p = await project('ok');
    const result = await runCli(['test', '--json'], { cwd: p.dir });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: true, instanceUrl: p.org.url, apiVersion: 'v59.0', user: p.org.username });
    expect(String(json.orgId)).toMatch(/^00D/);
    expect(result.stdout).not.toMatch(/access_token|00D[A-Za-z0-9]{12,}!/);
  });

  it('user_not_approved: the fix includes the authorize URL for this app and user (the entry promises it)', async () => {
    const p = await project('user_not_approved');
    const result = await runCli(['test'], { cwd: p.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Authorize URL (open it logged in as ${p.org.username}, click Allow): ${p.org.url}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(p.org.clientId)}`);
  });

  it('works from environment variables alone (CI)', async () => {
    const p = await project('ok', { writeConfig: false });
    const result = await runCli(['test', '--json'], { cwd: p.dir, env: p.env });
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });

  it('works with the key inline in SF_PRIVATE_KEY, mangled as CI secrets mangle it', async () => {
    const p = await project('ok', { writeConfig: false });
    const { SF_PRIVATE_KEY_PATH: _unused, ...env } = p.env;
    const escaped = p.pair.privateKeyPem.replace(/\n/g, '\\n');
    const result = await runCli(['test', '--json'], { cwd: p.dir, env: { ...env, SF_PRIVATE_KEY: escaped } });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const b64 = Buffer.from(p.pair.privateKeyPem).toString('base64');
    const again = await runCli(['test', '--json'], { cwd: p.dir, env: { ...env, SF_PRIVATE_KEY: b64 } });
    expect(again.code, again.stderr + again.stdout).toBe(0);
  });

  it.each(FAILURES)('scenario %s -> %s, exit 1, fix names the setting', async (scenario, code, fixPattern) => {
    const p = await project(scenario);
    const text = await runCli(['test'], { cwd: p.dir });
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stderr).toContain(`[${code}]`);
    expect(text.stderr).toMatch(fixPattern);
    expect(hasStackTrace(text.stderr)).toBe(false);
    const json = await runCli(['test', '--json'], { cwd: p.dir });
    expect(json.code).toBe(1);
    const body = JSON.parse(json.stdout) as { ok: boolean; code: string; fix: string[] };
    expect(body.ok).toBe(false);
    expect(body.code).toBe(code);
    expect(body.fix.join('\n')).toMatch(fixPattern);
  });

  it('a slow org ends in timeout within --timeout plus a second', async () => {
    const p = await project('slow', { slowMs: 5000 });
    const started = Date.now();
    const result = await runCli(['test', '--json', '--timeout', '1'], { cwd: p.dir });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, code: 'timeout' });
  });

  it('an apiVersion newer than the org is api_version_unsupported, naming the newest', async () => {
    const p = await project('ok', { writeConfig: false });
    const result = await runCli(['test', '--json'], { cwd: p.dir, env: { ...p.env, SF_API_VERSION: 'v999.0' } });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { code: string; message: string };
    expect(json.code).toBe('api_version_unsupported');
    expect(json.message).toMatch(/newest is v\d+\.0/);
  });
});
