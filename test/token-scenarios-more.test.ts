/**
 * The facts sheet's remaining token-endpoint errors, end to end: the real `sf-setup test --json` binary over
 * HTTP against the emulated org on 127.0.0.1, with the org's own request log proving Salesforce's exact
 * answer was sent (so the code comes from the knowledge base reading it, not from a client-side guess).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../src/emulator/index.js';
import { hasStackTrace, runCli } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';

const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});
async function project(options: Parameters<typeof orgProject>[0]) {
  const p = await orgProject(options);
  projects.push(p);
  return p;
}

interface TestJson {
  ok: boolean;
  code?: string;
  fix?: string[];
  user?: string;
}

async function tokenTest(dir: string) {
  const result = await runCli(['test', '--json', '--timeout', '5'], { cwd: dir });
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
  return { code: result.code, json: JSON.parse(result.stdout) as TestJson };
}

function tokenAnswers(requests: LoggedRequest[]): { status: number; error?: string; errorDescription?: string }[] {
  return requests.filter((r) => r.path === '/services/oauth2/token').map(({ status, error, errorDescription }) => ({ status, error, errorDescription }));
}

describe('sf-setup test --json: the rest of the facts sheet', () => {
  it('unsupported_grant_type / grant type not supported -> unsupported_grant_type', async () => {
    // The client always POSTs the right form; the scenario drops it on the way, as a followed redirect does.
    const p = await project({ scenario: 'unsupported_grant_type' });
    const { code, json } = await tokenTest(p.dir);
    expect(code).toBe(1);
    expect(json).toMatchObject({ ok: false, code: 'unsupported_grant_type' });
    // sf-setup itself POSTs the form: the fix is about what changed it on the way (see the test below).
    expect(json.fix!.join('\n')).toMatch(/proxy/i);
    expect(tokenAnswers(p.org.requests)).toEqual([{ status: 400, error: 'unsupported_grant_type', errorDescription: 'grant type not supported' }]);

    // The text form names the code and its fix too.
    const text = await runCli(['test'], { cwd: p.dir });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('[unsupported_grant_type]');
  });

  it('External client app is not installed in this org -> app_not_installed, its External Client App fix first', async () => {
    // An External Client App reached with the production aud instead of its My Domain: the mistake the facts
    // sheet names. The config says so with `audience`, as a user copying login.salesforce.com would.
    const p = await project({ appType: 'external_client_app' });
    const file = path.join(p.dir, '.sfconnect.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...config, audience: 'https://login.salesforce.com' }, null, 2));
    const { code, json } = await tokenTest(p.dir);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.code).toBe('app_not_installed');
    expect(json.fix![0]).toMatch(/^External Client App: use the My Domain/);
    expect(tokenAnswers(p.org.requests)).toEqual([{ status: 400, error: 'invalid_grant', errorDescription: 'External client app is not installed in this org' }]);

    // The same org and key with the My Domain aud (the default for a non-login token URL) logs in.
    await writeFile(file, JSON.stringify(config, null, 2));
    const fixed = await tokenTest(p.dir);
    expect(fixed.code).toBe(0);
    expect(fixed.json).toMatchObject({ ok: true, user: p.org.username });
  });

  it('invalid_grant / authentication failure -> authentication_failure', async () => {
    const p = await project({ scenario: 'api_disabled' });
    const { code, json } = await tokenTest(p.dir);
    expect(code).toBe(1);
    expect(json).toMatchObject({ ok: false, code: 'authentication_failure' });
    expect(json.fix!.join('\n')).toMatch(/API Enabled/);
    expect(tokenAnswers(p.org.requests)).toEqual([{ status: 400, error: 'invalid_grant', errorDescription: 'authentication failure' }]);
  });

  it('authentication failure follows the org state, not only the preset: re-enabling API access heals it', async () => {
    const p = await project({ scenario: 'ok' });
    p.org.state.users[0].profile.apiEnabled = false;
    expect((await tokenTest(p.dir)).json.code).toBe('authentication_failure');
    p.org.state.users[0].profile.apiEnabled = true;
    expect((await tokenTest(p.dir)).json.ok).toBe(true);
  });
});

describe('unsupported_grant_type from sf-setup\'s own request (KB review)', () => {
  it('test (text and --json) drops the "POST grant_type=… as a form" step, as the doctor does: sf-setup always does that', async () => {
    const p = await project({ scenario: 'unsupported_grant_type' });
    const { code, json } = await tokenTest(p.dir);
    expect(code).toBe(1);
    expect(json.code).toBe('unsupported_grant_type');
    expect(json.fix!.length).toBeGreaterThan(0);
    expect(json.fix!.join('\n')).not.toMatch(/^POST grant_type=/m);
    const text = await runCli(['test', '--timeout', '5'], { cwd: p.dir });
    expect(text.stderr).toMatch(/\[unsupported_grant_type\]/);
    expect(text.stderr).not.toMatch(/POST grant_type=/);
  });
});
