/**
 * The built binary in a real pseudo-terminal (tmux), against an emulated org on 127.0.0.1: the wizard typed
 * through from an empty folder, run again (resume), and run against a broken org (failure card).
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createKeyPair } from '../src/keys/create-pair.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startEmulator, type EmulatedOrg } from '../src/emulator/index.js';
import { checkConsumerKey, checkUsername, checkValidityDays, defaultServices } from '../src/wizard/index.js';
import { BIN } from './helpers/cli.js';
import { built, hasTmux, Terminal } from './helpers/terminal.js';

/** Step 3 typed through for the emulated org (My Domain = its URL); `atEnvironment` looks at that question's screen. */
async function typeConfigStep(t: Terminal, org: EmulatedOrg, atEnvironment: () => void = () => undefined): Promise<void> {
  await t.waitFor('Consumer Key:');
  await t.type(org.clientId);
  t.keys('Enter');
  await t.waitFor('Environment');
  atEnvironment();
  t.keys('Down', 'Down', 'Enter');
  await t.waitFor('My Domain:');
  await t.type(org.url);
  t.keys('Enter');
  await t.waitFor('Username:');
  await t.type(org.username);
  t.keys('Enter');
  await t.enterAt(`Instance URL: ${org.url}`);
  await t.enterAt('API version: v66.0');
  await t.enterAt('Private key: ./certs/server.key');
}

describe.skipIf(!hasTmux || !built)('wizard end to end in a pseudo-terminal', () => {
  let org: EmulatedOrg;
  let dir: string;
  const terminals: Terminal[] = [];
  const open = (args: string[], size?: { x: number; y: number }, cwd = dir) => {
    const t = new Terminal(cwd, args, size);
    terminals.push(t);
    return t;
  };

  beforeAll(async () => {
    org = await startEmulator({});
    dir = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-e2e-'));
  });
  afterAll(async () => {
    for (const t of terminals) t.kill();
    await org.close();
  });

  it('the config preview keeps the JSON one setting a line: a long Consumer Key is cut in the middle, not wrapped to column 0', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-preview-'));
    const t = open([], { x: 80, y: 30 }, folder);
    await t.waitFor('1/4 Keys and certificate');
    await t.enterAt('❯ 2048 bits');
    for (const label of ['Valid for (days): 365', 'Country (2 letters): US', 'State: California', 'City: San Francisco', 'Organization: Your Company', 'Organizational unit: IT', 'Common name: sf-setup', 'Email: admin@example.com']) await t.enterAt(label);
    await t.enterAt('Enter to continue');
    await t.enterAt('Which kind of app');
    await t.enterAt('integration user');
    for (let i = 0; i < 7; i++) await t.enterAt(`${i}/7 done`);
    await typeConfigStep(t, org);
    await t.waitFor('will be created');
    const lines = t.visible().split('\n');
    const at = lines.findIndex((line) => line.includes('"clientId"'));
    expect(lines[at]).toMatch(/^ {4}"clientId": "3MVG9.*…/);
    expect(lines[at + 1]).toMatch(/^ {4}"username"/);
    t.keys('Escape');
    await rm(folder, { recursive: true, force: true });
  });

  it('types through all four steps in an empty folder and ends on the success screen', async () => {
    const t = open([]);
    await t.waitFor('1/4 Keys and certificate');
    await t.enterAt('❯ 2048 bits');
    for (const label of ['Valid for (days): 365', 'Country (2 letters): US', 'State: California', 'City: San Francisco', 'Organization: Your Company', 'Organizational unit: IT', 'Common name: sf-setup', 'Email: admin@example.com']) {
      await t.enterAt(label);
    }
    await t.waitFor('Enter to continue');
    // The user uploads the certificate to the app: here, to the emulated org.
    org.uploadCertificate(await readFile(path.join(dir, 'certs', 'server.crt'), 'utf8'));
    t.keys('Enter');
    await t.enterAt('Which kind of app');
    await t.enterAt('integration user');
    for (let i = 0; i < 7; i++) await t.enterAt(`${i}/7 done`);
    await typeConfigStep(t, org);
    await t.enterAt('will be created');
    expect(await t.exitCode()).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('✓ Authentication successful!');
    expect(screen).toContain(`✓ User: ${org.username}`);
    expect(screen).toContain('export SF_PRIVATE_KEY="$(cat certs/server.key)"');
    expect(screen).toContain('sf-setup doctor');

    expect((await stat(path.join(dir, 'certs', 'server.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dir, 'certs', 'server.crt'), 'utf8')).toMatch(/BEGIN CERTIFICATE/);
    const config = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as Record<string, string>;
    expect(config).toMatchObject({ clientId: org.clientId, username: org.username, tokenUrl: org.tokenUrl, instanceUrl: org.url, apiVersion: 'v66.0', privateKeyPath: './certs/server.key', authType: 'jwt', algorithm: 'RS256' });
    const gitignore = await readFile(path.join(dir, '.gitignore'), 'utf8');
    expect(gitignore).toMatch(/^certs\/\*\.key\ncerts\/\*\.key\.\*\.bak$/m);
    expect(gitignore).toMatch(/^\.sfconnect\.json$/m);
  });

  it('a second run in the same folder shows steps 1-3 as done and reuses them', async () => {
    const t = open([], { x: 60, y: 20 });
    const first = await t.waitFor('Found a key and certificate');
    expect(first).toContain('▸ 1 Keys  ✓ 2 App  ✓ 3 Config  · 4 Test');
    expect(first).toMatch(/days left \[█+░*\]/);
    t.keys('Enter');
    await t.enterAt('Found the Consumer Key');
    await t.enterAt('Found .sfconnect.json');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('✓ Authentication successful!');
  });

  /** A second run in the folder of the first, with the org refusing: steps 1-3 reused, on to the card's actions. */
  const failureCardFor = async (scenario: Parameters<EmulatedOrg['applyScenario']>[0]) => {
    org.applyScenario(scenario);
    onTestFinished(() => org.applyScenario('ok'));
    const t = open([]);
    await t.enterAt('Found a key and certificate');
    await t.enterAt('Found the Consumer Key');
    await t.enterAt('Found .sfconnect.json');
    await t.waitFor('Quit');
    return t;
  };

  it('with the org in user_not_approved: the failure card and its fix; Quit exits 1', async () => {
    const t = await failureCardFor('user_not_approved');
    // The card is printed above the actions; on a short screen part of it is in the scrollback.
    const card = t.screen();
    expect(card).toContain("The user hasn't approved the app");
    expect(card).toContain("Salesforce said: invalid_grant: user hasn't approved this consumer");
    expect(card).toMatch(/Edit Policies/);
    expect(card).toContain('Go back to step 2 (App in Salesforce)');
    // The highlighted action is "Go back to step 2"; Quit is two below it.
    t.keys('Down', 'Down', 'Enter');
    expect(await t.exitCode()).toBe(1);
    // The terminal does not end on a frame that still says "Ctrl+C quit": it says what to run next.
    expect(t.screen().replace(/\s+/g, ' ')).toContain('✗ The token test failed; your files stay. After the fix the card names, run `sf-setup test`');
  });

  it('with the org in user_not_approved: "Run the full doctor" on the card runs the doctor on the same config', async () => {
    const t = await failureCardFor('user_not_approved');
    // The highlighted action is "Go back to step 2"; the doctor is the next one.
    t.keys('Down');
    await t.waitFor('❯ Run the full doctor');
    t.keys('Enter');
    const code = await t.exitCode(40_000);
    const screen = t.joined();
    // The doctor's own checks, run after the wizard's screen is gone, against the org the config names.
    expect(screen).toContain('Token request (JWT Bearer Flow)');
    expect(screen).toContain('Private key');
    expect(screen).toMatch(/user_not_approved|hasn't approved/);
    expect(code).toBe(1);
  });

  it('--plain: the same flow as line-by-line questions, same files', async () => {
    const plainDir = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-plain-'));
    const t = open(['--plain'], undefined, plainDir);
    await t.enterAt(/Key size/);
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 250));
      t.keys('Enter');
    }
    await t.waitFor('Certificate  certs/server.crt', 20_000, false);
    org.uploadCertificate(await readFile(path.join(plainDir, 'certs', 'server.crt'), 'utf8'));
    await t.enterAt(/Which kind of app/);
    await t.enterAt(/integration user/);
    for (let i = 1; i <= 7; i++) await t.enterAt(new RegExp(`${i}/7\\. [\\s\\S]*Done in Setup\\?`));
    await t.waitFor(/Consumer Key \(< back/);
    await t.type(org.clientId);
    t.keys('Enter');
    await t.waitFor(/Environment/);
    t.keys('Down', 'Down', 'Enter');
    await t.waitFor(/My Domain \(< back/);
    await t.type(org.url);
    t.keys('Enter');
    await t.waitFor(/Username \(< back/);
    await t.type(org.username);
    t.keys('Enter');
    await t.enterAt(/Instance URL \(< back/);
    await t.enterAt(/API version \(< back/);
    await t.enterAt(/Private key \(< back/);
    await t.enterAt(/Write it\?/);
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('✓ Authentication successful!');
    expect((await stat(path.join(plainDir, 'certs', 'server.key'))).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(path.join(plainDir, '.sfconnect.json'), 'utf8')) as Record<string, string>;
    expect(config).toMatchObject({ clientId: org.clientId, username: org.username, tokenUrl: org.tokenUrl });
  });

  /** After an interrupt during key generation: no pair, or a whole matching pair; never one file alone or a temporary file. */
  async function expectNoHalfPair(folder: string): Promise<'none' | 'pair'> {
    const certs = path.join(folder, 'certs');
    const names = existsSync(certs) ? await readdir(certs) : [];
    expect(names.filter((n) => n !== 'server.key' && n !== 'server.crt'), 'temporary, staged or lock files left').toEqual([]);
    const key = names.includes('server.key');
    const crt = names.includes('server.crt');
    expect(key, `one file of the pair alone: ${names.join(', ')}`).toBe(crt);
    if (!key) return 'none';
    const privateKey = createPrivateKey(await readFile(path.join(certs, 'server.key'), 'utf8'));
    expect(new X509Certificate(await readFile(path.join(certs, 'server.crt'), 'utf8')).checkPrivateKey(privateKey)).toBe(true);
    expect((await stat(path.join(certs, 'server.key'))).mode & 0o777).toBe(0o600);
    return 'pair';
  }

  async function walkToKeyGeneration(t: Terminal): Promise<void> {
    await t.waitFor('1/4 Keys and certificate');
    await t.enterAt('❯ 2048 bits');
    for (const label of ['Valid for (days): 365', 'Country (2 letters): US', 'State: California', 'City: San Francisco', 'Organization: Your Company', 'Organizational unit: IT', 'Common name: sf-setup']) {
      await t.enterAt(label);
    }
    await t.waitFor('Email: admin@example.com');
  }

  it('Ctrl+C while the key is being generated: exit 130, and no half-written pair', async () => {
    for (const delayMs of [0, 60, 250]) {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-ctrlc-'));
      const t = open([], undefined, folder);
      await walkToKeyGeneration(t);
      t.keys('Enter');
      await new Promise((r) => setTimeout(r, delayMs));
      t.keys('C-c');
      expect(await t.exitCode()).toBe(130);
      await expectNoHalfPair(folder);
      t.kill();
    }
  });

  it('the terminal closed (SIGHUP) while the key is being generated: no half-written pair', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-hup-'));
    const t = open([], undefined, folder);
    await walkToKeyGeneration(t);
    t.keys('Enter');
    await new Promise((r) => setTimeout(r, 30));
    t.kill();
    // Give the process time to settle and exit after the hang-up.
    await new Promise((r) => setTimeout(r, 1500));
    await expectNoHalfPair(folder);
  });

  it('in a terminal with CI=1 the wizard does not start (Ink would draw only its last frame); CI=false does', async () => {
    const ci = new Terminal(dir, [], undefined, { CI: '1' });
    terminals.push(ci);
    expect(await ci.exitCode()).toBe(2);
    expect(ci.screen()).toContain('The sf-setup wizard needs a terminal (CI is set)');
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-cifalse-'));
    const notCi = new Terminal(folder, [], undefined, { CI: 'false' });
    terminals.push(notCi);
    await notCi.waitFor('1/4 Keys and certificate');
    notCi.keys('C-c');
    expect(await notCi.exitCode()).toBe(130);
  });

  it('without a terminal: the equivalent commands, exit 2, no Ink', () => {
    const result = spawnSync(process.execPath, [BIN], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('sf-setup keygen');
    expect(result.stderr).toContain('sf-setup config --client-id');
    expect(result.stderr).not.toMatch(/Raw mode/);
  });
});

describe.skipIf(!hasTmux || !built)('sf-setup demo in a terminal: the wizard against the emulated org', () => {
  const terminals: Terminal[] = [];
  afterAll(() => {
    for (const t of terminals) t.kill();
  });
  /** `demo` in its own TMPDIR, so the test finds the folder the demo works in. */
  async function demo(args: string[] = [], size?: { x: number; y: number }): Promise<{ t: Terminal; tmp: string }> {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-demo-'));
    const t = new Terminal(tmp, ['demo', ...args], size, { TMPDIR: tmp });
    terminals.push(t);
    return { t, tmp };
  }
  async function demoFolder(tmp: string): Promise<string> {
    const names = (await readdir(tmp)).filter((n) => n.startsWith('sf-setup-demo-'));
    expect(names).toHaveLength(1);
    return path.join(tmp, names[0]);
  }
  /** Step 1 with the demo's pre-filled values, then step 2 up to its checklist; returns step 1's first screen. */
  async function toTheChecklist(t: Terminal): Promise<string> {
    const first = await t.waitFor('1/4 Keys and certificate');
    await t.enterAt('❯ 2048 bits');
    for (const label of ['Valid for (days): 365', 'Country (2 letters): US', 'State: California', 'City: San Francisco', 'Organization: Your Company', 'Organizational unit: IT', 'Common name: sf-setup', 'Email: admin@example.com']) {
      await t.enterAt(label);
    }
    await t.enterAt('Enter to continue');
    await t.enterAt('Which kind of app');
    await t.enterAt('integration user');
    return first;
  }
  /** Steps 1 and 2 with the demo's pre-filled values; ticking item 3 uploads the certificate to the org. */
  async function throughSteps1And2(t: Terminal): Promise<string> {
    const first = await toTheChecklist(t);
    await tickAll(t);
    return first;
  }
  /** Tick the Connected App checklist's seven items from the first; item 3's tick uploads the certificate. */
  async function tickAll(t: Terminal): Promise<void> {
    for (let i = 0; i < 3; i++) await t.enterAt(`${i}/7 done`);
    await t.waitFor('3/7 done');
    // Back on item 3: the note says the certificate went to the emulated org.
    t.keys('Up');
    await t.waitFor('✓ Uploaded to the emulated app.');
    t.keys('Down');
    await t.waitFor('❯ ○ 4.');
    for (let i = 3; i < 7; i++) await t.enterAt(`${i}/7 done`);
  }
  /** `?` opens the step's help (its first point on top, under the header) and `?` closes it again. */
  async function openAndCloseHelp(t: Terminal, title: string): Promise<void> {
    t.keys('?');
    const help = await t.waitFor(`Help: ${title}`);
    expect(help.split('\n')[0], help).toMatch(/^sf-setup {2}\d\/4 /);
    expect(help).toContain('? Esc or Enter closes this help');
    t.keys('?');
    await t.waitFor('? help | Esc back');
  }
  /** Down through the open checklist's `count` items: on each, the header's first line is still the top line. */
  async function walkChecklist(t: Terminal, count: number): Promise<void> {
    for (let i = 1; i <= count; i++) {
      const screen = await t.waitFor(new RegExp(`❯ ○ ${i}\\. `));
      expect(screen.split('\n')[0], `item ${i}:\n${screen}`).toMatch(/^sf-setup {2}2\/4 App in Salesforce/);
      t.keys('Down');
    }
    t.keys(...Array<string>(count - 1).fill('Up'));
    await t.waitFor('❯ ○ 1. ');
  }

  for (const [x, y] of [[60, 20], [80, 24]] as const) {
    it(`at ${x}x${y} no frame fills the terminal: the header stays the top line and the scrollback is never cleared, through to success`, async () => {
      const { t } = await demo([], { x, y });
      await t.waitFor('❯ 2048 bits');
      await openAndCloseHelp(t, 'Keys and certificate');
      const first = await toTheChecklist(t);
      const url = /Demo: an emulated org at (http:\/\/127\.0\.0\.1:\d+)/.exec(first)![1];
      await t.waitFor('0/7 done');
      await openAndCloseHelp(t, 'App in Salesforce');
      await walkChecklist(t, 7);
      await tickAll(t);
      await t.enterAt(/Consumer Key: 3MVG9/);
      await t.waitFor('Environment');
      await openAndCloseHelp(t, 'Configuration');
      for (const label of ['Environment', `My Domain: ${url}`, 'Username: demo@example.com', `Instance URL: ${url}`, 'API version: v66.0', 'Private key: ./certs/server.key', 'will be created']) {
        await t.enterAt(label);
      }
      expect(await t.exitCode(30_000)).toBe(0);
      expect(t.screen()).toContain('✓ Authentication successful!');
      // Ink clears the screen and the scrollback on every redraw once a frame is as tall as the terminal.
      expect(t.scrollbackClears()).toBe(0);
    });
  }

  it('a terminal shrunk from 100x30 to 60x20 on the checklist: once redrawn, the header is on top and the scrollback is not cleared again', async () => {
    const { t } = await demo([], { x: 100, y: 30 });
    await toTheChecklist(t);
    await t.waitFor('0/7 done');
    t.keys('Down');
    await t.waitFor('❯ ○ 2. ');
    expect(t.visible()).toContain('An app in your org');
    t.resize(60, 20);
    // Ink draws the tree it has at the new size before the wizard counts the rows anew (it may clear then);
    // counted anew, the list takes the compact frame: the header on top, the step's purpose gone.
    await t.waitFor(/^sf-setup {2}2\/4 App in Salesforce(?![\s\S]*An app in your org)/);
    const afterResize = t.scrollbackClears();
    for (let i = 3; i <= 7; i++) {
      t.keys('Down');
      const screen = await t.waitFor(`❯ ○ ${i}. `);
      expect(screen.split('\n')[0], screen).toMatch(/^sf-setup {2}2\/4 App in Salesforce/);
    }
    expect(t.scrollbackClears()).toBe(afterResize);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
  });

  it('at 60x20 the longest checklist (External Client App with the integration user) keeps the header on top', async () => {
    const { t } = await demo([], { x: 60, y: 20 });
    await t.waitFor('1/4 Keys and certificate');
    await t.enterAt('❯ 2048 bits');
    for (const label of ['Valid for (days)', 'Country', 'State', 'City', 'Organization:', 'Organizational unit', 'Common name', 'Email']) await t.enterAt(label);
    await t.enterAt('Enter to continue');
    await t.waitFor('Which kind of app');
    t.keys('Down');
    await t.enterAt('❯ External Client App');
    await t.waitFor('integration user');
    t.keys('Down');
    await t.enterAt('❯ Yes, add the integration-user steps');
    await t.waitFor('0/8 done');
    await walkChecklist(t, 8);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.scrollbackClears()).toBe(0);
  });

  it('at 60x20 the demo banner stays one line and step 2 keeps its header in view', async () => {
    const { t } = await demo([], { x: 60, y: 20 });
    const first = await toTheChecklist(t);
    expect(first).toMatch(/^Demo: an emulated org at http:\/\/127\.0\.0\.1:\d+; nothing l\S*…$/m);
    const checklist = await t.waitFor('0/7 done');
    // The whole screen fits: the header's first line is still the top line, the footer still shows.
    expect(checklist.split('\n')[0]).toMatch(/^sf-setup {2}2\/4 App in Salesforce/);
    expect(checklist).toContain('? help | Esc back | Ctrl+C quit');
    expect(checklist.split('\n').every((line) => line.length <= 60)).toBe(true);
  });

  it('types through the four steps with the pre-filled values and ends on the success screen', async () => {
    const { t, tmp } = await demo();
    const first = await throughSteps1And2(t);
    expect(first).toMatch(/Demo: an emulated org at http:\/\/127\.0\.0\.1:\d+; nothing leaves this machine\./);
    const url = /Demo: an emulated org at (http:\/\/127\.0\.0\.1:\d+)/.exec(first)![1];
    // Step 2 ends with the org's Consumer Key already typed in.
    await t.enterAt(/Consumer Key: 3MVG9\S{20,}/);
    await t.waitFor('Environment');
    expect(t.visible()).toContain('❯ My Domain');
    t.keys('Enter');
    await t.enterAt(`My Domain: ${url}`);
    await t.enterAt('Username: demo@example.com');
    await t.enterAt(`Instance URL: ${url}`);
    // Asked of the emulated org over HTTP: its newest version.
    await t.enterAt('API version: v66.0');
    await t.enterAt('Private key: ./certs/server.key');
    await t.enterAt('will be created');
    expect(await t.exitCode(30_000)).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('✓ 4/4 Token test: Token issued for demo@example.com');
    expect(screen).toContain('✓ Authentication successful!');
    expect(screen).toContain(`✓ Instance URL: ${url}`);
    expect(screen).toMatch(/✓ Org ID: 00D\w+/);
    const folder = await demoFolder(tmp);
    // The demo's folder is a temporary one: the closing lines say where the files are.
    expect(t.joined()).toContain(`Files are in ${folder}`);
    expect((await stat(path.join(folder, 'certs', 'server.key'))).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(path.join(folder, '.sfconnect.json'), 'utf8')) as Record<string, string>;
    expect(config).toMatchObject({ username: 'demo@example.com', instanceUrl: url, tokenUrl: `${url}/services/oauth2/token`, apiVersion: 'v66.0', privateKeyPath: './certs/server.key' });
    expect(config.clientId).toMatch(/^3MVG9/);
  });

  it('--scenario user_not_approved at 60x20: after the upload the org refuses; the card stays in the scrollback and offers the automatic retry', async () => {
    const { t } = await demo(['--scenario', 'user_not_approved'], { x: 60, y: 20 });
    const first = await throughSteps1And2(t);
    // The banner names the scenario (cut to one line at 60 columns).
    expect(first).toContain('(scenario: ');
    await t.enterAt(/Consumer Key: 3MVG9/);
    for (const label of ['Environment', 'My Domain:', 'Username: demo@example.com', 'Instance URL:', 'API version: v66.0', 'Private key:', 'will be created']) await t.enterAt(label);
    await t.waitFor('Quit', 30_000);
    const card = t.screen();
    expect(card).toContain("The user hasn't approved the app");
    expect(card).toContain('You set up the app minutes ago');
    expect(card).toContain('❯ Retry every 30 s for up to 10 minutes');
    // The card is printed once, above the actions; the frame under it never fills the terminal, so Ink never
    // clears the scrollback it sits in.
    expect(t.visible().split('\n').filter((line) => line.startsWith('sf-setup  4/4 Token test'))).toHaveLength(1);
    // Actions: Try again, Retry every 30 s (highlighted), Go back to step 2, Run the full doctor, Quit.
    t.keys('Down', 'Down', 'Down', 'Enter');
    expect(await t.exitCode()).toBe(1);
    expect(t.scrollbackClears()).toBe(0);
    expect(t.screen()).toContain("The user hasn't approved the app [user_not_approved]");
    // The emulated org ends with the demo: the closing lines say how to start one again before `sf-setup test`.
    // (The terminal wraps the line anywhere at 60 columns: compared without line breaks.)
    expect(t.screen().replace(/\n/g, '')).toContain('The emulated org stopped with the demo; `sf-setup emulator --cert certs/server.crt --write-config` in that folder starts one again.');
  });
});

describe.skipIf(!hasTmux || !built)('--plain: validation, resume, failure card, Ctrl+C, .gitignore', () => {
  let org: EmulatedOrg;
  let dir: string;
  const terminals: Terminal[] = [];
  const plain = (cwd = dir) => {
    const t = new Terminal(cwd, ['--plain']);
    terminals.push(t);
    return t;
  };
  const GITIGNORE = '# sf-setup: private keys and local Salesforce config\ncerts/*.key\ncerts/*.key.*.bak\n.sfconnect.json\n';

  beforeAll(async () => {
    org = await startEmulator({});
    dir = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-plain2-'));
  });
  afterAll(async () => {
    for (const t of terminals) t.kill();
    await org.close();
  });

  /** Wait for the pending text question `label` (`? label (< back, ? help)`, not an answered `✔` one), type, Enter. */
  async function answer(t: Terminal, label: string, text = ''): Promise<void> {
    await t.waitFor(new RegExp(`^\\? ${label.replace(/[()]/g, '\\$&')} \\(< back`, 'm'));
    if (text) await t.type(text);
    t.keys('Enter');
  }
  const SUBJECT = ['Country (2 letters)', 'State', 'City', 'Organization', 'Organizational unit', 'Common name', 'Email'];

  it('an unreadable config: step 3 says so first and sets it aside as .bak when asked, as the full-screen wizard does (TUI review)', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-plain-broken-'));
    await createKeyPair(folder, { dir: 'certs', bits: 2048, days: 90, force: false });
    const broken = '{ "instanceUrl": "https://acme.my.salesforce.com", broken';
    await writeFile(path.join(folder, '.sfconnect.json'), broken);
    const t = plain(folder);
    await t.enterAt(/Key and certificate/);
    await t.enterAt(/Which kind of app/);
    await t.enterAt(/integration user/);
    for (let i = 1; i <= 7; i++) await t.enterAt(new RegExp(`${i}/7\\. [\\s\\S]*Done in Setup\\?`));
    await answer(t, 'Consumer Key', org.clientId);
    await t.waitFor(/is not valid JSON/);
    await t.enterAt(/Set it aside \(kept as \.bak\) and write a new one/);
    await t.waitFor(/✓ Set aside as \.sfconnect\.json\..+\.bak/);
    const backup = (await readdir(folder)).find((n) => /^\.sfconnect\.json\..+\.bak$/.test(n));
    expect(await readFile(path.join(folder, backup!), 'utf8')).toBe(broken);
    await t.waitFor(/Environment/);
    t.kill();
  });

  it('invalid input gets the same message as the full-screen wizard and is asked again; then the flow ends in success', async () => {
    const t = plain();
    await t.enterAt(/Key size/);
    await answer(t, 'Valid for (days)', '0');
    // The message is the field check's own words, as the Ink form shows them; the question stays.
    await t.waitFor(`> ${checkValidityDays('0').error!}`);
    expect(t.visible()).toMatch(/^\? Valid for \(days\) \(< back, \? help\) 0$/m);
    t.keys('BSpace');
    await answer(t, 'Valid for (days)', '90');
    // The answered line is the question and its answer, without the keys it offered.
    await t.waitFor(/^✔ Valid for \(days\) 90$/m);
    for (const label of SUBJECT) await answer(t, label);
    await t.waitFor('Certificate  certs/server.crt', 20_000, false);
    expect(t.screen()).not.toContain(checkValidityDays('90').error ?? 'no error for 90');
    org.uploadCertificate(await readFile(path.join(dir, 'certs', 'server.crt'), 'utf8'));
    await t.enterAt(/Which kind of app/);
    await t.enterAt(/integration user/);
    for (let i = 1; i <= 7; i++) await t.enterAt(new RegExp(`${i}/7\\. [\\s\\S]*Done in Setup\\?`));
    await answer(t, 'Consumer Key', '3MVG9 abc def');
    await t.waitFor(`> ${checkConsumerKey('3MVG9 abc def').error!.slice(0, 40)}`);
    expect(t.screen().replace(/\s+/g, ' ')).toContain(`> ${checkConsumerKey('3MVG9 abc def').error!}`);
    for (let i = 0; i < 13; i++) t.keys('BSpace');
    // A value the check warns about (the Consumer Secret) is kept only when the user says so.
    const secret = 'E4B6D0C1F2A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D';
    await answer(t, 'Consumer Key', secret);
    await t.waitFor(/this looks like the Consumer Secret/);
    await t.waitFor(/❯ Yes, keep it/);
    t.keys('Down', 'Enter');
    await t.waitFor(/No, type it again\n[\s\S]*^\? Consumer Key \(< back, \? help\)\s*$/m);
    // `<` shows as "(back)" on the answer line, not as an answer.
    await answer(t, 'Consumer Key', '<');
    await t.waitFor(/^✔ Consumer Key \(back\)$/m);
    await t.enterAt(/Which kind of app/);
    await t.enterAt(/integration user/);
    for (let i = 1; i <= 7; i++) await t.enterAt(new RegExp(`${i}/7\\. [\\s\\S]*Done in Setup\\?`));
    await answer(t, 'Consumer Key', org.clientId);
    await t.waitFor(/Environment/);
    t.keys('Down', 'Down', 'Enter');
    await answer(t, 'My Domain', org.url);
    await answer(t, 'Username', 'not a user');
    // Long messages are wrapped (by the prompt library, at word boundaries): the first part is on one line.
    await t.waitFor(`> ${checkUsername('not a user').error!.slice(0, 40)}`);
    expect(t.screen().replace(/\s+/g, ' ')).toContain(`> ${checkUsername('not a user').error!}`);
    for (let i = 0; i < 10; i++) t.keys('BSpace');
    await answer(t, 'Username', org.username);
    await answer(t, 'Instance URL');
    await answer(t, 'API version');
    await answer(t, 'Private key');
    await t.enterAt(/Write it\?/);
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('✓ Authentication successful!');
    expect(new X509Certificate(await readFile(path.join(dir, 'certs', 'server.crt'), 'utf8')).validTo).toBeTruthy();
    const config = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as Record<string, string>;
    expect(config).toMatchObject({ clientId: org.clientId, username: org.username });
    // Exactly the key and the config, under one header.
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toBe(GITIGNORE);
  });

  it('a second run reuses the key, the app and the config found, and changes no file', async () => {
    const before = await Promise.all(['certs/server.key', 'certs/server.crt', '.sfconnect.json', '.gitignore'].map((f) => readFile(path.join(dir, f), 'utf8')));
    const t = plain();
    const found = await t.waitFor(/Key and certificate/);
    expect(found).toMatch(/Found a key and certificate: certs\/server\.key \(RSA 2048\), certs\/server\.crt/);
    expect(found).toMatch(/✓ key and certificate belong together/);
    expect(found).toMatch(/❯ Reuse them/);
    t.keys('Enter');
    await t.waitFor(/✓ 1\/4 Keys and certificate: certs\/server\.key and certs\/server\.crt, reused/);
    await t.enterAt(/Found the Consumer Key 3MVG9.*in the config/);
    await t.waitFor(/❯ Reuse it/);
    await t.enterAt(/Found \.sfconnect\.json: [\s\S]*? at\s+http:\/\/127\.0\.0\.1/);
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('✓ Authentication successful!');
    const after = await Promise.all(['certs/server.key', 'certs/server.crt', '.sfconnect.json', '.gitignore'].map((f) => readFile(path.join(dir, f), 'utf8')));
    expect(after).toEqual(before);
    expect((await readdir(path.join(dir, 'certs'))).sort()).toEqual(['server.crt', 'server.key']);
  });

  it('a failing token test shows the failure card as text, and Quit exits 1', async () => {
    org.applyScenario('user_not_approved');
    onTestFinished(() => org.applyScenario('ok'));
    const t = plain();
    await t.enterAt(/Key and certificate/);
    await t.enterAt(/Found the Consumer Key/);
    await t.enterAt(/Found \.sfconnect\.json/);
    await t.waitFor(/What next\?/);
    const card = t.screen();
    expect(card).toContain("✗ The user hasn't approved the app [user_not_approved]");
    expect(card).toContain("Salesforce said: invalid_grant: user hasn't approved this consumer");
    expect(card).toMatch(/Fix:\n\s+1\. .*Edit Policies/);
    expect(card).toContain('❯ Go back to step 2 (App in Salesforce)');
    expect(card).toContain('Run the full doctor');
    // No automatic retry: the app was reused, not made minutes ago.
    expect(card).not.toContain('Retry every 30 s');
    t.keys('Down', 'Down', 'Enter');
    expect(await t.exitCode()).toBe(1);
  });

  it('"Go back to step 2" from the card finds the Consumer Key and the config written in this run', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-plain-goto-'));
    onTestFinished(() => org.applyScenario('ok'));
    const t = plain(folder);
    await t.enterAt(/Key size/);
    for (const label of ['Valid for (days)', ...SUBJECT]) await answer(t, label);
    await t.waitFor('Certificate  certs/server.crt', 20_000, false);
    org.uploadCertificate(await readFile(path.join(folder, 'certs', 'server.crt'), 'utf8'), { replace: true });
    org.applyScenario('user_not_approved');
    await t.enterAt(/Which kind of app/);
    await t.enterAt(/integration user/);
    for (let i = 1; i <= 7; i++) await t.enterAt(new RegExp(`${i}/7\\. [\\s\\S]*Done in Setup\\?`));
    await answer(t, 'Consumer Key', org.clientId);
    await t.waitFor(/Environment/);
    t.keys('Down', 'Down', 'Enter');
    await answer(t, 'My Domain', org.url);
    await answer(t, 'Username', org.username);
    for (const label of ['Instance URL', 'API version', 'Private key']) await answer(t, label);
    await t.enterAt(/Write it\?/);
    await t.waitFor(/What next\?/);
    // The app is minutes old: the automatic retry is highlighted; the step-2 action is below it.
    expect(t.visible()).toContain('❯ Retry every 30 s for up to 10 minutes');
    t.keys('Down', 'Enter');
    await t.waitFor(/Found the Consumer Key 3MVG9\S+ in the config/);
    org.applyScenario('ok');
    // The key is new in this run, so "Go through the checklist" is offered first; reuse the app.
    t.keys('Up');
    await t.waitFor('❯ Reuse the app');
    t.keys('Enter');
    // Step 3 asks again (the key is new in this run), each answer pre-filled from the file just written.
    await t.enterAt(/❯ My Domain/);
    await t.enterAt(new RegExp(`^\\? My Domain \\(< back, \\? help\\) \\(${org.url.replace(/[.]/g, '\\.')}\\)`, 'm'));
    await t.enterAt(new RegExp(`^\\? Username \\(< back, \\? help\\) \\(${org.username.replace(/[.]/g, '\\.')}\\)`, 'm'));
    for (const label of ['Instance URL', 'API version', 'Private key']) await answer(t, label);
    await t.waitFor(/Write it\?/);
    expect(t.screen()).toContain('.sfconnect.json will change:\n  nothing changes');
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('✓ Authentication successful!');
  });

  it('Ctrl+C at a question exits 130 and leaves the files as they were', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-plain-ctrlc-'));
    const t = plain(folder);
    await t.waitFor(/Key size/);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen().replace(/\s+/g, ' ')).toContain('! Stopped. No file is left half-written; run `sf-setup init` to go on from what is saved.');
    expect(await readdir(folder)).toEqual([]);
    // In the middle of step 3, after step 1 wrote its pair: the pair stays whole, no config appears.
    const u = plain(folder);
    await u.enterAt(/Key size/);
    for (const label of ['Valid for (days)', ...SUBJECT]) await answer(u, label);
    await u.enterAt(/Which kind of app/);
    await u.enterAt(/integration user/);
    for (let i = 1; i <= 7; i++) await u.enterAt(new RegExp(`${i}/7\\. [\\s\\S]*Done in Setup\\?`));
    await answer(u, 'Consumer Key', org.clientId);
    await u.waitFor(/Environment/);
    u.keys('C-c');
    expect(await u.exitCode()).toBe(130);
    expect((await readdir(folder)).sort()).toEqual(['.gitignore', 'certs']);
    expect((await readdir(path.join(folder, 'certs'))).sort()).toEqual(['server.crt', 'server.key']);
    expect(await readFile(path.join(folder, '.gitignore'), 'utf8')).toBe('# sf-setup: private keys and local Salesforce config\ncerts/*.key\ncerts/*.key.*.bak\n');
  });

  it('Ctrl+C while the key is being generated exits 130 with no half-written pair', async () => {
    for (const delayMs of [0, 100, 400]) {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-plain-gen-'));
      const t = plain(folder);
      await t.enterAt(/Key size/);
      for (const label of ['Valid for (days)', ...SUBJECT.slice(0, -1)]) await answer(t, label);
      await t.waitFor(/^\? Email \(< back/m);
      t.keys('Enter');
      await new Promise((r) => setTimeout(r, delayMs));
      t.keys('C-c');
      expect(await t.exitCode()).toBe(130);
      const names = existsSync(path.join(folder, 'certs')) ? (await readdir(path.join(folder, 'certs'))).sort() : [];
      expect([[], ['server.crt', 'server.key']]).toContainEqual(names);
      if (names.length) {
        const key = createPrivateKey(await readFile(path.join(folder, 'certs', 'server.key'), 'utf8'));
        expect(new X509Certificate(await readFile(path.join(folder, 'certs', 'server.crt'), 'utf8')).checkPrivateKey(key)).toBe(true);
      }
      expect((await readdir(folder)).filter((n) => n !== 'certs' && n !== '.gitignore')).toEqual([]);
      t.kill();
    }
  });
});

describe.skipIf(!hasTmux || !built)('colour and narrow terminals', () => {
  let org: EmulatedOrg;
  const terminals: Terminal[] = [];
  const open = (cwd: string, size?: { x: number; y: number }, env?: Record<string, string | undefined>) => {
    const t = new Terminal(cwd, [], size, env);
    terminals.push(t);
    return t;
  };
  beforeAll(async () => {
    org = await startEmulator({});
  });
  afterAll(async () => {
    for (const t of terminals) t.kill();
    await org.close();
  });
  /** A folder with a real key pair in certs/ (step 1 done). */
  async function keyFolder(): Promise<string> {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sf-wizard-colour-'));
    await defaultServices({}).generateKeys(folder, { dir: 'certs', bits: 2048, days: 365, subject: {}, force: false });
    return folder;
  }
  // SGR colour parameters: 30-37, 90-97 (and 38;5/38;2 extended); bold (1) and inverse (7) are not colour.
  const COLOUR = /\u001B\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25];[0-9;]+)m/;

  it('without NO_COLOR the screen has colour escape codes; with NO_COLOR=1 it has none and keeps its symbols', async () => {
    const folder = await keyFolder();
    const coloured = open(folder, undefined, { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm-256color' });
    await coloured.waitFor('Found a key and certificate');
    const escapes = coloured.escapes();
    expect(escapes).toMatch(COLOUR);
    // The highlighted choice is coloured, and so is the ✓ of "belong together".
    expect(escapes).toMatch(/\u001B\[[0-9;]*3[0-7]m[^\n]*❯ Reuse them/);
    expect(escapes).toMatch(/\u001B\[[0-9;]*32m✓/);
    coloured.keys('C-c');
    expect(await coloured.exitCode()).toBe(130);

    const plainText = open(folder, undefined, { NO_COLOR: '1', FORCE_COLOR: undefined, TERM: 'xterm-256color' });
    await plainText.waitFor('Found a key and certificate');
    const none = plainText.escapes();
    expect(none).not.toMatch(COLOUR);
    expect(none).toContain('❯ Reuse them');
    expect(none).toContain('✓ The key and the certificate belong together');
    plainText.keys('C-c');
    expect(await plainText.exitCode()).toBe(130);
  });

  it('at 60x20 every line fits in 60 columns and each step shows what it asks, through to success', async () => {
    const folder = await keyFolder();
    const t = open(folder, { x: 60, y: 20 });
    const WIDTH = 60;
    /** Lines as the program wrote them (the terminal's own wraps joined again), none wider than the terminal. */
    const checkWidth = () => {
      const wide = t.joined().split('\n').filter((line) => [...line].length > WIDTH && !/^\s*export SF_/.test(line));
      expect(wide, `lines wider than ${WIDTH}:\n${wide.join('\n')}`).toEqual([]);
    };
    /** What must be on the visible screen, ignoring where the 60-column layout broke lines. */
    const visibleText = () => t.visible().replace(/\s+/g, '');
    const shows = (...texts: string[]) => {
      for (const text of texts) expect(visibleText(), `not on screen: ${text}\n${t.visible()}`).toContain(text.replace(/\s+/g, ''));
    };
    const FOOTER = '? help | Esc back | Ctrl+C quit';

    await t.waitFor('Found a key and certificate');
    shows('1/4 Keys and certificate', 'RSA 2048', 'belong together', '❯ Reuse them', FOOTER);
    expect(t.visible()).toMatch(/days left \[█+░*\]/);
    checkWidth();
    t.keys('Enter');
    await t.enterAt('Which kind of app');
    await t.enterAt('integration user');
    await t.waitFor('0/7 done');
    shows('2/4 App in Salesforce', '❯ ○ 1. Create the Connected App', 'Connected App Name: JWT Integration', FOOTER);
    checkWidth();
    await t.enterAt('0/7 done');
    await t.waitFor('1/7 done');
    shows('❯ ○ 2. Enable OAuth Settings', 'Callback URL: https://login.salesforce.com/services/oauth2/callback', FOOTER);
    checkWidth();
    for (let i = 1; i < 7; i++) await t.enterAt(`${i}/7 done`);
    await typeConfigStep(t, org, () => {
      shows('3/4 Configuration', '❯ Production or Developer Edition', FOOTER);
      checkWidth();
    });
    await t.waitFor('will be created');
    // Too tall to wrap at 20 rows: one row per line, long values cut in the middle, the header still on top.
    shows('.sfconnect.json will be created:', `"clientId": "${org.clientId.slice(0, 8)}`, `${org.clientId.slice(-6)}",`, '❯ Write the file');
    expect(t.visible().split('\n')[0]).toMatch(/^sf-setup {2}3\/4 Configuration/);
    checkWidth();
    org.uploadCertificate(await readFile(path.join(folder, 'certs', 'server.crt'), 'utf8'), { replace: true });
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('✓ Authentication successful!');
    shows('sf-setup test', 'sf-setup doctor');
    checkWidth();
    expect(t.scrollbackClears()).toBe(0);
  });
});
