import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audienceMismatch } from '../src/salesforce/environment.js';
import { runCli } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';

const LOGIN = 'https://login.salesforce.com/services/oauth2/token';
const TEST = 'https://test.salesforce.com/services/oauth2/token';

describe('audienceMismatch: the aud must fit the token URL (Salesforce: "audience is invalid")', () => {
  it.each([
    [LOGIN, 'https://login.salesforce.com'],
    [TEST, 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com/services/oauth2/token', 'https://acme.my.salesforce.com'],
    // A production My Domain accepts the production login host as aud, a sandbox My Domain the sandbox one.
    ['https://acme.my.salesforce.com/services/oauth2/token', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token', 'https://test.salesforce.com'],
    ['http://127.0.0.1:4567/services/oauth2/token', 'https://login.salesforce.com'],
  ])('%s with aud %s fits', (tokenUrl, audience) => {
    expect(audienceMismatch(tokenUrl, audience)).toBeNull();
  });

  it.each([
    [TEST, 'https://login.salesforce.com', /for production, but the token URL \(test\.salesforce\.com\) is a sandbox/],
    [LOGIN, 'https://test.salesforce.com', /for sandboxes, but the token URL \(login\.salesforce\.com\) is production/],
    ['https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token', 'https://login.salesforce.com', /for production/],
    [LOGIN, 'https://acme.my.salesforce.com', /another host than the token URL's \(https:\/\/login\.salesforce\.com\)/],
    ['https://acme.my.salesforce.com/services/oauth2/token', 'https://other.my.salesforce.com', /another host/],
  ])('%s with aud %s does not', (tokenUrl, audience, message) => {
    expect(audienceMismatch(tokenUrl, audience)).toMatch(message);
  });
});

const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});

describe('doctor: the environment check compares the token URL with the audience too', () => {
  it('a production aud with the sandbox token URL (and a sandbox username) fails environment_mismatch, with the audience fix', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    const configPath = path.join(p.dir, '.sfconnect.json');
    const config = JSON.parse(await (await import('node:fs/promises')).readFile(configPath, 'utf8')) as Record<string, string>;
    config.username = `${config.username}.uat`;
    await writeFile(configPath, JSON.stringify({ ...config, tokenUrl: TEST, audience: 'https://login.salesforce.com' }, null, 2));
    const result = await runCli(['doctor', '--offline', '--json'], { cwd: p.dir });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { checks: { id: string; status: string; code?: string; detail: string; fix?: string[] }[] };
    const environment = json.checks.find((c) => c.id === 'environment')!;
    expect(environment.status).toBe('fail');
    expect(environment.code).toBe('environment_mismatch');
    expect(environment.detail).toMatch(/audience https:\/\/login\.salesforce\.com is for production/);
    expect(environment.fix!.join(' ')).toMatch(/Remove "audience"/);


    // The username agrees with the host now, so only the audience is wrong: the fix is about the audience.
    expect(config.username).toMatch(/\.uat$/);
  });
});
