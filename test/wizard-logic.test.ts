import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SalesforceError } from '../src/salesforce/token.js';
import { classifyOAuthError } from '../src/diagnostics/classify.js';
import { UserError } from '../src/errors.js';
import { createStyle } from '../src/output/style.js';
import {
  appChecklist,
  autoRetryUntil,
  checkApiVersion,
  checkConsumerKey,
  checkInstanceUrl,
  checkMyDomain,
  checkUsername,
  checklistItems,
  ciSummary,
  completeStep,
  configValues,
  defaultServices,
  detectProgress,
  failureCard,
  failureCardLines,
  foundKeyChoices,
  knowledgeFrom,
  finalSummary,
  goBack,
  withFreshProgress,
  goTo,
  initialState,
  integrationUserChecklist,
  consumerKeyWhere,
  keyTarget,
  parseMyDomain,
  previewConfig,
  previewHeading,
  shouldAutoRetry,
  stepStatus,
  tokenSettings,
  tokenUrlOf,
  wrapLine,
} from '../src/wizard/index.js';

const KEY = '3MVG9fe4g9fhX0E5xLlUhGxL0eQp7Lr8yS2aZkHqJw1VtNnB3cDmR6uYiOoPzKjXxQwErTyUiOpAsDfGhJk.Z';
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'sf-wizard-'));

describe('wizard field checks', () => {
  it('consumer key: spaces, short, wrong characters, secret-looking', () => {
    expect(checkConsumerKey(KEY)).toEqual({ ok: true });
    expect(checkConsumerKey(`  ${KEY}\n`).ok).toBe(true);
    expect(checkConsumerKey('3MVG9 abc def').error).toMatch(/spaces/);
    expect(checkConsumerKey('3MVG9abc').error).toMatch(/too short/);
    expect(checkConsumerKey('').error).toMatch(/Consumer Key/);
    expect(checkConsumerKey(`"${KEY}"`).error).toMatch(/letters, digits/);
    expect(checkConsumerKey('A'.repeat(64)).warning).toMatch(/3MVG/);
    expect(checkConsumerKey('E4B6D0C1F2A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D').warning).toMatch(/^this looks like the Consumer Secret/);
    expect(checkConsumerKey('1234567890123456789').error).toMatch(/^this looks like an older app's Consumer Secret/);
    expect(checkConsumerKey(KEY + KEY)).toMatchObject({ ok: true, warning: expect.stringMatching(/^170 characters.*pasted twice/) });
  });

  it('username: the config rules, and a sandbox suffix against the environment', () => {
    expect(checkUsername('me@example.com', tokenSettings('production').tokenUrl)).toEqual({ ok: true });
    expect(checkUsername('not a user').ok).toBe(false);
    expect(checkUsername('me@example.com.uat', tokenSettings('production').tokenUrl).warning).toMatch(/sandbox/);
    expect(checkUsername('me@example.com', tokenSettings('sandbox').tokenUrl).warning).toMatch(/\.sandboxname|sandbox/);
    expect(checkUsername('me@example.com.uat', tokenSettings('sandbox').tokenUrl).warning).toBeUndefined();
  });

  it('My Domain, instance URL and API version reuse the config validation', () => {
    expect(parseMyDomain('acme')).toBe('https://acme.my.salesforce.com');
    expect(parseMyDomain('https://acme.my.salesforce.com/services/oauth2/token')).toBe('https://acme.my.salesforce.com');
    expect(checkMyDomain('acme.my.salesforce.com').ok).toBe(true);
    expect(checkMyDomain('http://127.0.0.1:4000').ok).toBe(true);
    expect(checkMyDomain('evil.example.com').error).toMatch(/not a Salesforce domain/);
    // The wizard has no --allow-untrusted-host: its advice is the command that has it (TUI review).
    expect(checkMyDomain('evil.example.com').error).not.toMatch(/or pass --allow-untrusted-host/);
    expect(checkMyDomain('evil.example.com').error).toMatch(/NAME\.my\.salesforce\.com.*sf-setup config --allow-untrusted-host/);
    expect(checkMyDomain('acme.lightning.force.com').error).toMatch(/Lightning/);
    expect(checkMyDomain('login.salesforce.com').error).toMatch(/login host/);
    expect(checkInstanceUrl('https://acme.my.salesforce.com').ok).toBe(true);
    expect(checkInstanceUrl('http://acme.my.salesforce.com').error).toMatch(/https/);
    expect(checkInstanceUrl('https://acme.my.salesforce.com/home').error).toMatch(/origin/);
    expect(checkInstanceUrl('https://login.salesforce.com').warning).toMatch(/not your org/);
    expect(checkApiVersion('v62.0').ok).toBe(true);
    expect(checkApiVersion('62').error).toMatch(/v62\.0/);
  });

  it('environment answers give the token URL and audience', () => {
    expect(tokenUrlOf({ environment: 'sandbox' })).toBe('https://test.salesforce.com/services/oauth2/token');
    expect(tokenUrlOf({ environment: 'mydomain', myDomain: 'acme' })).toBe('https://acme.my.salesforce.com/services/oauth2/token');
    expect(tokenSettings('production').audience).toBe('https://login.salesforce.com');
    expect(tokenSettings('mydomain', 'https://acme.my.salesforce.com').audience).toBe('https://acme.my.salesforce.com');
    const values = configValues({ environment: 'sandbox', username: 'a@b.com.uat', instanceUrl: 'https://x.my.salesforce.com/', apiVersion: 'v62.0', privateKeyPath: './certs/server.key' }, KEY, { audience: 'https://login.salesforce.com' });
    expect(values.tokenUrl).toBe('https://test.salesforce.com/services/oauth2/token');
    expect(values.instanceUrl).toBe('https://x.my.salesforce.com');
    // A stale audience in the file is replaced by the new environment's.
    expect(values.audience).toBe('https://test.salesforce.com');
  });
});

describe('checklists', () => {
  it('Connected App: exact values, the certificate path, pre-authorization', () => {
    const items = appChecklist('connected_app', { certificatePath: '/abs/certs/server.crt' });
    const text = JSON.stringify(items);
    expect(text).toContain('JWT Integration');
    expect(text).toContain('JWT_Integration');
    expect(text).toContain('https://login.salesforce.com/services/oauth2/callback');
    expect(text).toContain('/abs/certs/server.crt');
    expect(text).toContain('Admin approved users are pre-authorized');
    expect(text).toContain('refresh_token, offline_access');
    expect(text).toContain('Manage > Edit Policies');
    expect(items.filter((i) => i.uploadsCertificate)).toHaveLength(1);
  });

  it('External Client App: Local distribution, JWT flow enablement; integration user branch', () => {
    const text = JSON.stringify(appChecklist('external_client_app', { certificatePath: '/c.crt' }));
    expect(text).toContain('Distribution State');
    expect(text).toContain('Enable JWT Bearer Flow');
    const iu = JSON.stringify(integrationUserChecklist('connected_app'));
    expect(iu).toContain('Minimum Access - API Only Integrations');
    expect(iu).toContain('Salesforce API Integration');
    expect(iu).toContain('Connected Apps OAuth Usage');
    const all = checklistItems('connected_app', '/c.crt', true);
    expect(all.at(-1)!.id).toBe('consumer-key');
    expect(all.some((i) => i.id === 'iu-user')).toBe(true);
  });

  it('the Consumer Key field says where the key is for the app being made (the checklist\'s own step)', () => {
    expect(consumerKeyWhere('external_client_app')).toMatch(/Settings > OAuth Settings > Consumer Key and Secret/);
    expect(consumerKeyWhere('connected_app')).toMatch(/View > Manage Consumer Details/);
    expect(consumerKeyWhere()).toBe(consumerKeyWhere('connected_app'));
  });

  it.each(['connected_app', 'external_client_app'] as const)('%s with an integration user: the user exists before the app is opened to it', (type) => {
    const ids = checklistItems(type, '/c.crt', true).map((i) => i.id);
    // Created, licensed and given its permission set before the app's policies name its profile or permission set.
    expect(ids.indexOf('iu-user')).toBeLessThan(ids.indexOf('policies'));
    expect(ids.indexOf('iu-ps')).toBeLessThan(ids.indexOf('policies'));
    expect(ids.at(-1)).toBe('consumer-key');
    // "Add it to the app" is said once, by the app's own step.
    const text = JSON.stringify(checklistItems(type, '/c.crt', true));
    expect(text.match(/add it to the app/g) ?? []).toHaveLength(0);
  });
});

describe('controller', () => {
  const progress = { keys: { keyPath: '/k', certificatePath: '/c', keyExists: true, certificateExists: true, problems: [], usable: true }, config: { path: '/cfg', exists: true, values: { clientId: 'x' }, problems: [], complete: false }, done: { keys: true, app: true, config: false } };

  it('withFreshProgress takes the progress read again, or keeps what it knew when reading fails', async () => {
    const back = goBack(completeStep(initialState(progress), 'keys ok'));
    const written = { ...progress, done: { keys: true, app: true, config: true } };
    expect((await withFreshProgress(back, async () => written)).progress).toBe(written);
    expect(await withFreshProgress(back, async () => Promise.reject(new Error('EACCES')))).toBe(back);
  });

  it('walks forward, back and jumps; header statuses', () => {
    let s = initialState(progress);
    expect(s.step).toBe('keys');
    expect(stepStatus(s, 'app')).toBe('found');
    expect(stepStatus(s, 'config')).toBe('todo');
    s = completeStep(s, 'keys ok');
    expect(s.step).toBe('app');
    expect(stepStatus(s, 'keys')).toBe('done');
    s = completeStep(s, 'app ok', { clientId: 'abc' });
    s = completeStep(s, 'config ok');
    expect(s.step).toBe('test');
    expect(goBack(s).step).toBe('config');
    expect(goBack(s).done.map((d) => d.id)).toEqual(['keys', 'app']);
    const jumped = goTo(s, 'app');
    expect(jumped.step).toBe('app');
    expect(jumped.done.map((d) => d.id)).toEqual(['keys']);
    expect(jumped.data.clientId).toBe('abc');
    expect(goBack(initialState(progress)).step).toBe('keys');
    s = completeStep(s, 'token');
    expect(s.step).toBe('finished');
  });
});

describe('step 2 with a Consumer Key already known', () => {
  it('offers to paste another first when a wrong key sent the user back; the checklist for a new certificate; else reuse', () => {
    expect(foundKeyChoices({ keyJustCreated: false }).items.map((i) => i.value)).toEqual(['reuse', 'redo', 'change']);
    expect(foundKeyChoices({ keyJustCreated: false, returnedFor: 'invalid_client_id' }).initial).toBe('change');
    expect(foundKeyChoices({ keyJustCreated: true, returnedFor: 'invalid_client_id' }).initial).toBe('change');
    expect(foundKeyChoices({ keyJustCreated: true }).initial).toBe('redo');
    expect(foundKeyChoices({ keyJustCreated: false, returnedFor: 'user_not_approved' }).initial).toBe('reuse');
  });

  it('goTo records the failure that sent the user back; going back by hand clears it', () => {
    const state = { ...initialState({} as never), step: 'test' as const };
    const back = goTo(state, 'app', 'invalid_client_id');
    expect(back).toMatchObject({ step: 'app', data: { returnedFor: 'invalid_client_id' } });
    expect(goBack({ ...back, step: 'config' }).data.returnedFor).toBeUndefined();
  });
});

describe('failure card ranking', () => {
  const notApproved = () => new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: "user hasn't approved this consumer" }), 'refused');

  it('user_not_approved right after creating the app: propagation first, auto-retry, step 2', () => {
    const card = failureCard(notApproved(), { appJustCreated: true, keyJustCreated: true });
    expect(card.code).toBe('user_not_approved');
    expect(card.causes[0]).toMatch(/minutes/);
    expect(card.autoRetry).toBe(true);
    expect(card.fixStep).toBe(2);
    expect(card.fix.join('\n')).toMatch(/Edit Policies/);
    expect(card.said).toBe("invalid_grant: user hasn't approved this consumer");
  });

  it('user_not_approved with a sandbox username on production: the username first, no auto-retry', () => {
    const card = failureCard(notApproved(), { appJustCreated: false, keyJustCreated: false, tokenUrl: tokenSettings('production').tokenUrl, username: 'me@example.com.uat' });
    expect(card.causes[0]).toMatch(/username/);
    expect(card.evidence.join()).toMatch(/sandbox/);
    expect(card.autoRetry).toBe(false);
  });

  it('invalid assertion with a mismatched local pair: the mismatch first, step 1', () => {
    const error = new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: 'invalid assertion' }), 'refused');
    const card = failureCard(error, { appJustCreated: false, keyJustCreated: false, keys: { matches: false } as never });
    expect(card.causes[0]).toMatch(/does not match/);
    expect(card.fixStep).toBe(1);
  });

  it('invalid assertion with a matching local pair: upload it in step 2 (not a new pair in step 1), naming its file', () => {
    const error = new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: 'invalid assertion' }), 'refused');
    const keys = { matches: true, certificatePath: '/p/certs/server-20261202.crt' } as never;
    const card = failureCard(error, { appJustCreated: false, keyJustCreated: false, keys, cwd: '/p' });
    expect(card.evidence.join(' ')).toMatch(/upload this one/);
    expect(card.fixStep).toBe(2);
    expect(card.fix.join('\n')).toContain('Choose File (certs/server-20261202.crt)');
    expect(failureCard(error, { appJustCreated: false, keyJustCreated: true, keys, cwd: '/p' }).fixStep).toBe(2);
  });

  it('the same rules as the doctor: the authorize URL for this app, and a mismatched pair turns invalid_grant into invalid_signature', () => {
    const card = failureCard(notApproved(), { appJustCreated: false, keyJustCreated: false, tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientId: '3MVG9abc', username: 'me@example.com' });
    expect(card.fix.at(-1)).toMatch(/^Authorize URL \(open it logged in as me@example\.com, click Allow\): https:\/\/login\.salesforce\.com\/services\/oauth2\/authorize\?response_type=code&client_id=3MVG9abc&/);
    const generic = new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: 'something new' }), 'refused');
    expect(failureCard(generic, { appJustCreated: false, keyJustCreated: false }).code).toBe('invalid_grant');
    expect(failureCard(generic, { appJustCreated: false, keyJustCreated: false, keys: { matches: false } as never }).code).toBe('invalid_signature');
  });

  it('knowledgeFrom reads what the steps so far recorded', () => {
    const known = knowledgeFrom({ appJustCreated: true, appType: 'external_client_app', config: { tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token', clientId: 'K', username: 'u@example.com' } } as never);
    expect(known).toMatchObject({ appJustCreated: true, keyJustCreated: false, appType: 'external_client_app', clientId: 'K', username: 'u@example.com' });
  });

  it("a failure with no Salesforce answer (a refused connection) is not labelled as Salesforce's words", async () => {
    const { NetworkError } = await import('../src/salesforce/http.js');
    const refused = failureCard(new NetworkError('network_unreachable', '127.0.0.1:4567 refused the connection', 'http://127.0.0.1:4567'), { appJustCreated: false, keyJustCreated: false });
    expect(refused.saidBy).toBe('sf-setup');
    const lines = failureCardLines(refused, createStyle(false)).join('\n');
    expect(lines).toContain('  What happened: 127.0.0.1:4567 refused the connection');
    expect(lines).not.toContain('Salesforce said');
    expect(failureCardLines(failureCard(notApproved(), { appJustCreated: false, keyJustCreated: false }), createStyle(false))[1]).toBe("  Salesforce said: invalid_grant: user hasn't approved this consumer");
  });

  it('a plain UserError maps by code; anything else is a bug card', () => {
    expect(failureCard(new UserError('key_missing', 'no key'), { appJustCreated: false, keyJustCreated: false }).fixStep).toBe(1);
    expect(failureCard(new Error('boom'), { appJustCreated: false, keyJustCreated: false }).bug).toBe(true);
  });
});

describe('progress from files, CI summary, preview', () => {
  it('an empty folder has nothing done; keys and config are found after writing them', async () => {
    const dir = await tmp();
    const empty = await detectProgress(dir);
    expect(empty.done).toEqual({ keys: false, app: false, config: false });
    expect(empty.keys.problems).toEqual([]);

    const services = defaultServices({});
    const keys = await services.generateKeys(dir, { dir: 'certs', bits: 2048, days: 30, subject: {}, force: false });
    expect(keys).toBeDefined();
    await services.saveConfig(path.join(dir, '.sfconnect.json'), { clientId: KEY, username: 'me@example.com', instanceUrl: 'https://acme.my.salesforce.com', privateKeyPath: './certs/server.key' });
    const found = await detectProgress(dir);
    expect(found.done).toEqual({ keys: true, app: true, config: true });
    expect(found.keys.bits).toBe(2048);
    expect(found.keys.matches).toBe(true);
    expect(found.keys.daysLeft).toBeGreaterThanOrEqual(29);
    expect(found.keys.validityDays).toBe(30);
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^certs\/\*\.key$/m);
  });

  it('an encrypted key is usable with SF_PRIVATE_KEY_PASSPHRASE, as for `sf-setup test`; without it the problem names the variable (TUI review)', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const dir = await tmp();
    const services = defaultServices({});
    await services.generateKeys(dir, { dir: 'certs', bits: 2048, days: 90, subject: {}, force: false });
    const keyFile = path.join(dir, 'certs', 'server.key');
    const encrypted = createPrivateKey(await readFile(keyFile, 'utf8')).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret123' }) as string;
    await writeFile(keyFile, encrypted, { mode: 0o600 });
    const without = await services.detectProgress(dir, {});
    expect(without.keys.usable).toBe(false);
    expect(without.keys.problems.join(' ')).toMatch(/SF_PRIVATE_KEY_PASSPHRASE/);
    const withIt = await defaultServices({ SF_PRIVATE_KEY_PASSPHRASE: 'secret123' }).detectProgress(dir, {});
    expect(withIt.keys.usable, withIt.keys.problems.join(' ')).toBe(true);
    expect(withIt.keys.matches).toBe(true);
  });

  it('a broken config or a lone key is reported, not thrown', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, '.sfconnect.json'), '{ "clientId": ');
    const p = await detectProgress(dir);
    expect(p.config.exists).toBe(true);
    expect(p.config.complete).toBe(false);
    expect(p.config.problems[0]).toMatch(/not valid JSON/);
    const services = defaultServices({});
    await services.generateKeys(dir, { dir: 'certs', bits: 2048, days: 30, subject: {}, force: false });
    await writeFile(path.join(dir, 'certs', 'server.crt'), 'garbage');
    await chmod(path.join(dir, 'certs', 'server.crt'), 0o644);
    const q = await detectProgress(dir);
    expect(q.keys.usable).toBe(false);
    expect(q.keys.problems.join()).toMatch(/certificate/);
  });

  it('cancelled key generation writes nothing', async () => {
    const dir = await tmp();
    const result = await defaultServices({}).generateKeys(dir, { dir: 'certs', bits: 2048, days: 30, subject: {}, force: false }, { cancelled: true });
    expect(result).toBeUndefined();
    expect((await detectProgress(dir)).keys.keyExists).toBe(false);
  });

  it('preview shows the new file, or what changes', async () => {
    const dir = await tmp();
    const file = path.join(dir, '.sfconnect.json');
    const fresh = await previewConfig(file, { clientId: KEY, username: 'a@b.com' });
    expect(fresh.exists).toBe(false);
    expect(JSON.parse(fresh.text)).toMatchObject({ clientId: KEY, authType: 'jwt', algorithm: 'RS256' });
    await writeFile(file, JSON.stringify({ clientId: KEY, username: 'a@b.com', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', privateKeyPath: './k', apiVersion: 'v59.0', authType: 'jwt', algorithm: 'RS256', instanceUrl: 'https://a.my.salesforce.com' }));
    const changed = await previewConfig(file, { username: 'c@d.com' });
    expect(changed.changes).toEqual([{ field: 'username', from: 'a@b.com', to: 'c@d.com' }]);
    expect(previewHeading(changed, '.sfconnect.json')).toBe('.sfconnect.json will change:');
    expect(previewHeading(fresh, '.sfconnect.json')).toBe('.sfconnect.json will be created:');
  });

  it('a multi-org file: the preview names the org that changes, as the write picks it (TUI review)', async () => {
    const dir = await tmp();
    const file = path.join(dir, '.sfconnect.json');
    const org = (username: string) => ({ clientId: KEY, username, tokenUrl: 'https://login.salesforce.com/services/oauth2/token', privateKeyPath: './k', apiVersion: 'v59.0', authType: 'jwt', algorithm: 'RS256' });
    await writeFile(file, JSON.stringify({ defaultOrg: 'prod', orgs: { prod: org('a@b.com'), uat: org('a@b.com.uat') } }));
    const byDefault = await previewConfig(file, { username: 'c@d.com' });
    expect(byDefault.org).toEqual({ name: 'prod', isDefault: true, count: 2 });
    expect(byDefault.changes).toEqual([{ field: 'username', from: 'a@b.com', to: 'c@d.com' }]);
    expect(previewHeading(byDefault, '.sfconnect.json')).toBe('.sfconnect.json will change org "prod" (the default of 2 orgs):');
    // One org and no default: that org, as writeConfig picks it.
    await writeFile(file, JSON.stringify({ orgs: { uat: org('a@b.com.uat') } }));
    const only = await previewConfig(file, { username: 'c@d.com' });
    expect(only.org).toEqual({ name: 'uat', isDefault: false, count: 1 });
    expect(only.changes).toEqual([{ field: 'username', from: 'a@b.com.uat', to: 'c@d.com' }]);
    expect(previewHeading(only, '.sfconnect.json')).toBe('.sfconnect.json will change org "uat":');
    // One org, the default (what `config --org uat` writes): no "of 1 orgs" (diff review).
    await writeFile(file, JSON.stringify({ defaultOrg: 'uat', orgs: { uat: org('a@b.com.uat') } }));
    expect(previewHeading(await previewConfig(file, { username: 'c@d.com' }), '.sfconnect.json')).toBe('.sfconnect.json will change org "uat" (the default):');
  });

  it('CI variables and the closing summary', () => {
    const ci = ciSummary({ instanceUrl: 'https://a.my.salesforce.com', clientId: KEY, username: 'a@b.com', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', apiVersion: 'v59.0' }, { cwd: '/p', keyPath: '/p/certs/server.key' });
    expect(ci.exports).toEqual([
      'export SF_INSTANCE_URL="https://a.my.salesforce.com"',
      `export SF_CLIENT_ID="${KEY}"`,
      'export SF_USERNAME="a@b.com"',
      'export SF_PRIVATE_KEY="$(cat certs/server.key)"',
    ]);
    expect(ci.secretAdvice.join()).toMatch(/gh secret set SF_PRIVATE_KEY/);
    expect(ci.secretAdvice.join()).toMatch(/the other three are not secret/);
    // A sandbox on a newer API version needs two more variables, and the advice counts them.
    const sandbox = ciSummary({ instanceUrl: 'https://a.my.salesforce.com', clientId: KEY, username: 'a@b.com.uat', tokenUrl: 'https://test.salesforce.com/services/oauth2/token', apiVersion: 'v62.0' }, { cwd: '/p', keyPath: '/p/certs/server.key' });
    expect(sandbox.exports).toHaveLength(6);
    expect(sandbox.secretAdvice.join()).toMatch(/the other five are not secret/);
    const text = finalSummary({ keys: { keyPath: '/p/certs/server.key', certificatePath: '/p/certs/server.crt' } as never, configPath: '/p/.sfconnect.json', config: { clientId: KEY }, gitignoreAdded: ['certs/server.key'] }, { cwd: '/p', style: createStyle(false) }).join('\n');
    expect(text).toMatch(/sf-setup test/);
    expect(text).toMatch(/sf-setup doctor/);
    expect(text).toMatch(/SF_PRIVATE_KEY/);
  });

  it('the closing summary fits a 60-column terminal: prose wrapped at spaces, commands and `code` whole', () => {
    const data = { keys: { keyPath: '/p/certs/server.key', certificatePath: '/p/certs/server.crt' } as never, configPath: '/p/.sfconnect.json', config: { clientId: KEY, username: 'a@b.com', instanceUrl: 'https://acme.my.salesforce.com' }, gitignoreAdded: ['certs/server.key', '.sfconnect.json'] };
    const wide = finalSummary(data, { cwd: '/p', style: createStyle(false) });
    const narrow = finalSummary(data, { cwd: '/p', style: createStyle(true), width: 60 });
    const strip = (line: string) => line.replace(/\u001B\[[0-9;]*m/g, '');
    expect(wide.some((line) => line.length > 60)).toBe(true);
    for (const line of narrow.map(strip)) if (!/^\s*export /.test(line)) expect([...line].length, line).toBeLessThanOrEqual(60);
    // Same words, same order: only line breaks were added.
    expect(narrow.map(strip).join(' ').split(/\s+/).join(' ')).toBe(wide.join(' ').split(/\s+/).join(' '));
    // The copy-paste parts stay whole.
    expect(narrow).toContain(`  export SF_CLIENT_ID="${KEY}"`);
    expect(narrow.some((line) => line.includes('`gh secret set SF_PRIVATE_KEY < certs/server.key`'))).toBe(true);
    expect(wrapLine('  one two three four', 12)).toEqual(['  one two', '    three', '    four']);
  });
});

describe('rules shared by the Ink and the plain wizard', () => {
  const card = (autoRetry: boolean) => ({ autoRetry });

  it('auto-retry: only when switched on, only for a propagation answer, never past 10 minutes', () => {
    const start = 1_000_000;
    const until = autoRetryUntil(start);
    expect(until - start).toBe(10 * 60_000);
    expect(shouldAutoRetry(card(true), until, start)).toBe(true);
    // Off (never chosen, or stopped with Esc): the card is shown.
    expect(shouldAutoRetry(card(true), null, start)).toBe(false);
    // An answer waiting cannot change (e.g. a bad signature): stop even inside the window.
    expect(shouldAutoRetry(card(false), until, start)).toBe(false);
    // The next attempt must still fall inside the window: the last wait starts 30 s before the end.
    expect(shouldAutoRetry(card(true), until, until - 30_000)).toBe(true);
    expect(shouldAutoRetry(card(true), until, until - 29_999)).toBe(false);
    expect(shouldAutoRetry(card(true), until, until + 60_000)).toBe(false);
    // Walking the window: attempts at 0, 30 s, ..., 10 min; 21 in all, then the card.
    let attempts = 1;
    for (let now = start; shouldAutoRetry(card(true), until, now); now += 30_000) attempts += 1;
    expect(attempts).toBe(21);
  });

  it('key regeneration: into the folder of the key found, replacing only when a file of the pair exists', () => {
    const cwd = '/work/project';
    const none = { keyPath: '/work/project/certs/server.key', certificatePath: '/work/project/certs/server.crt', keyExists: false, certificateExists: false };
    expect(keyTarget(none, cwd, 'certs')).toEqual({ dir: 'certs', force: false });
    const replace = { dir: 'certs', force: true, keyFile: 'server.key', certificateFile: 'server.crt' };
    expect(keyTarget({ ...none, keyExists: true }, cwd, 'certs')).toEqual(replace);
    expect(keyTarget({ ...none, certificateExists: true }, cwd, 'certs')).toEqual(replace);
    // The config names a key elsewhere: the new pair goes where the old one is.
    expect(keyTarget({ ...none, keyPath: '/work/project/secrets/jwt/server.key', certificatePath: '/work/project/secrets/jwt/server.crt', keyExists: true }, cwd, 'certs')).toMatchObject({ dir: path.join('secrets', 'jwt'), force: true });
    // In the project folder itself, under other names: the same files, not certs/server.key.
    expect(keyTarget({ ...none, keyPath: '/work/project/jwt.key', certificatePath: '/work/project/jwt.crt', keyExists: true }, cwd, 'certs')).toEqual({ dir: '.', force: true, keyFile: 'jwt.key', certificateFile: 'jwt.crt' });
  });

  it('regenerating a pair the config names in the project folder replaces those files and keeps the old ones as .bak', async () => {
    const dir = await tmp();
    const services = defaultServices({});
    const first = await services.generateKeys(dir, { dir: 'tmp', bits: 2048, days: 30, subject: {}, force: false });
    await rename(first!.keyPath, path.join(dir, 'jwt.key'));
    await rename(first!.certificatePath, path.join(dir, 'jwt.crt'));
    await writeFile(path.join(dir, '.sfconnect.json'), JSON.stringify({ privateKeyPath: './jwt.key' }));
    const oldKey = await readFile(path.join(dir, 'jwt.key'), 'utf8');
    const found = (await detectProgress(dir)).keys;
    expect(found.usable).toBe(true);
    const written = await services.generateKeys(dir, { ...keyTarget(found, dir, 'certs'), bits: 2048, days: 30, subject: {} });
    expect(written!.keyPath).toBe(path.join(dir, 'jwt.key'));
    expect(written!.certificatePath).toBe(path.join(dir, 'jwt.crt'));
    expect(await readFile(path.join(dir, 'jwt.key'), 'utf8')).not.toBe(oldKey);
    const backup = written!.backups.find((b) => path.basename(b).startsWith('jwt.key.'));
    expect(backup && (await readFile(backup, 'utf8'))).toBe(oldKey);
    expect(existsSync(path.join(dir, 'certs'))).toBe(false);
  });
});

describe('step 3 after an External Client App', () => {
  it('the environment starts on My Domain (those apps log in there); a Connected App starts on production', async () => {
    const { configQuestions } = await import('../src/wizard/index.js');
    const initial = (appType?: 'connected_app' | 'external_client_app') =>
      configQuestions({ existing: {}, configDir: '/p', keyPath: '/p/certs/server.key', appType, latestApiVersion: async () => undefined })
        .find((q) => q.id === 'environment')!
        .initial!({});
    expect(initial('external_client_app')).toBe('mydomain');
    expect(initial('connected_app')).toBe('production');
    expect(initial()).toBe('production');
  });

  it('production or sandbox for an External Client App: said on the choice and warned at the username (TUI review)', async () => {
    const { configQuestions } = await import('../src/wizard/index.js');
    const questions = (appType?: 'connected_app' | 'external_client_app') =>
      configQuestions({ existing: {}, configDir: '/p', keyPath: '/p/certs/server.key', appType, latestApiVersion: async () => undefined });
    const eca = questions('external_client_app');
    const options = eca.find((q) => q.id === 'environment')!.options!;
    expect(options.find((o) => o.value === 'production')!.hint).toMatch(/not for External Client Apps/);
    expect(options.find((o) => o.value === 'mydomain')!.hint).not.toMatch(/not for/);
    const username = eca.find((q) => q.id === 'username')!;
    const atLogin = username.check!('me@acme.com', { environment: 'production' });
    expect(atLogin.ok).toBe(true);
    expect(atLogin.warning).toMatch(/External Client Apps log in at your My Domain/);
    expect(username.check!('me@acme.com', { environment: 'mydomain', myDomain: 'acme' }).warning).toBeUndefined();
    // A Connected App at login.salesforce.com is fine.
    expect(questions('connected_app').find((q) => q.id === 'username')!.check!('me@acme.com', { environment: 'production' }).warning).toBeUndefined();
    expect(questions('connected_app').find((q) => q.id === 'environment')!.options!.find((o) => o.value === 'production')!.hint).not.toMatch(/not for/);
  });
});

describe('step 1: certificate lifetime', () => {
  it('under 30 days is a warning: the doctor warns from 30 days before the end (facts sheet) (TUI review)', async () => {
    const { checkValidityDays } = await import('../src/wizard/index.js');
    expect(checkValidityDays('10')).toMatchObject({ ok: true, warning: expect.stringMatching(/10 days.*30 days/) });
    expect(checkValidityDays('1')).toMatchObject({ ok: true, warning: expect.stringMatching(/1 day\b/) });
    expect(checkValidityDays('30').warning).toMatch(/30 days/);
    expect(checkValidityDays('31').warning).toBeUndefined();
    expect(checkValidityDays('365').warning).toBeUndefined();
  });
});
