import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { classifyOAuthError } from '../src/diagnostics/classify.js';
import { SalesforceError } from '../src/salesforce/token.js';
import { defaultServices, detectKeys, detectProgress, initialState, type TokenTestOutcome, type WizardServices, type WizardState } from '../src/wizard/index.js';
import { ThemeContext } from '../screens/theme.js';
import type { WizardOutcome } from '../screens/types.js';
import { WizardApp } from '../screens/WizardApp.js';
import { localServer } from './helpers/servers.js';

const KEY = '3MVG9fe4g9fhX0E5xLlUhGxL0eQp7Lr8yS2aZkHqJw1VtNnB3cDmR6uYiOoPzKjXxQwErTyUiOpAsDfGhJk.Z';
const ENTER = '\r';
const ESC = '\u001B';
const DOWN = '\u001B[B';
const UP = '\u001B[A';
const BACKSPACE = '\u007F';
const CTRL_C = '\u0003';
const SUCCESS: TokenTestOutcome = { instanceUrl: 'http://127.0.0.1:1', apiVersion: 'v62.0', username: 'me@example.com', orgId: '00D000000000001AAA', userId: '005000000000001AAA' };

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'sf-screens-'));

function services(tokenTest: WizardServices['tokenTest'] = async () => SUCCESS): WizardServices {
  return { ...defaultServices({}), latestApiVersion: async () => 'v62.0', tokenTest };
}

/** A folder where steps 1-3 are done (key, certificate, complete config). */
async function doneFolder(): Promise<string> {
  const dir = await tmp();
  const s = defaultServices({});
  await s.generateKeys(dir, { dir: 'certs', bits: 2048, days: 365, subject: {}, force: false });
  await s.saveConfig(path.join(dir, '.sfconnect.json'), { clientId: KEY, username: 'me@example.com', tokenUrl: 'http://127.0.0.1:9/services/oauth2/token', instanceUrl: 'http://127.0.0.1:9', privateKeyPath: './certs/server.key' });
  return dir;
}

async function mount(dir: string, svc: WizardServices = services()) {
  const progress = await detectProgress(dir);
  const outcomes: { outcome: WizardOutcome; state: WizardState }[] = [];
  const app = render(
    <ThemeContext.Provider value={{ color: false }}>
      <WizardApp
        initial={initialState(progress)}
        env={{ cwd: dir, configPath: path.join(dir, '.sfconnect.json'), keyDir: 'certs', services: svc, hooks: {}, cancel: { cancelled: false } }}
        onOutcome={(outcome, state) => outcomes.push({ outcome, state })}
      />
    </ThemeContext.Provider>,
  );
  const frame = () => app.lastFrame() ?? '';
  /** Poll the frame: input handlers attach after the first render, and work is async. */
  const waitFor = async (what: string | RegExp, timeoutMs = 8000) => {
    const start = Date.now();
    for (;;) {
      const f = frame();
      if (typeof what === 'string' ? f.includes(what) : what.test(f)) {
        // The frame is drawn before the new component's input handler is attached (an effect, which Ink can
        // run ~60-100 ms later under load): let it attach.
        await new Promise((r) => setTimeout(r, 120));
        return f;
      }
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${String(what)}; screen:\n${f}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await new Promise((r) => setTimeout(r, 30));
    }
  };
  return { app, frame, waitFor, press, outcomes };
}

/**
 * Enter on each of step 1's text questions, waiting for each: a key sent before the next question has
 * attached its input handler goes to the previous one (Ink subscribes in an effect).
 */
async function acceptKeyDefaults(w: Awaited<ReturnType<typeof mount>>): Promise<void> {
  for (const label of ['Valid for (days): 365', 'Country (2 letters): US', 'State: California', 'City: San Francisco', 'Organization: Your Company', 'Organizational unit: IT', 'Common name: sf-setup', 'Email: admin@example.com']) {
    await w.waitFor(label);
    await w.press(ENTER);
  }
}

describe('wizard screens', () => {
  it('step 1 in an empty folder: defaults, spinner, paths and fingerprint, then step 2', async () => {
    const dir = await tmp();
    const w = await mount(dir);
    await w.waitFor('Key size');
    expect(w.frame()).toContain('1/4 Keys and certificate');
    expect(w.frame()).toContain('▸ 1 Keys');
    await w.press(ENTER);
    await acceptKeyDefaults(w);
    await w.waitFor('Enter to continue');
    expect(w.frame()).toMatch(/certs\/server\.key \(mode 0600/);
    expect(w.frame()).toMatch(/SHA-256 [0-9A-F]{2}:/);
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    expect(w.frame()).toContain('✓ 1/4 Keys and certificate:');
    expect(w.frame()).toContain('Spring');
    w.app.unmount();
  });

  it('step 1 validation, Esc back within the form, and ? help', async () => {
    const w = await mount(await tmp());
    await w.waitFor('Key size');
    await w.press('?');
    await w.waitFor('Help: Keys and certificate');
    await w.press('?');
    await w.waitFor('Key size');
    await w.press(ENTER);
    await w.waitFor('Valid for (days): 365');
    await w.press(BACKSPACE, BACKSPACE, BACKSPACE, '0');
    await w.waitFor(/✗ a whole number of days/);
    await w.press(ENTER);
    expect(w.frame()).toContain('Valid for (days): 0');
    await w.press(BACKSPACE, 'x9');
    await w.waitFor('Valid for (days): x9');
    await w.press(ESC);
    await w.waitFor('❯ 2048 bits');
    w.app.unmount();
  });

  it('step 2: found key reused, app type, checklist ticks, Consumer Key checked on entry, Esc back', async () => {
    const dir = await tmp();
    await defaultServices({}).generateKeys(dir, { dir: 'certs', bits: 2048, days: 365, subject: {}, force: false });
    const w = await mount(dir);
    await w.waitFor('Found a key and certificate');
    expect(w.frame()).toMatch(/RSA 2048/);
    expect(w.frame()).toMatch(/days left \[█+░*\]/);
    expect(w.frame()).toContain('belong together');
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    await w.press(DOWN, ENTER);
    await w.waitFor('integration user');
    await w.press(ENTER);
    await w.waitFor('0/5 done');
    expect(w.frame()).toContain('New External Client App');
    expect(w.frame()).toContain('Distribution State: Local');
    await w.press(ENTER, ENTER);
    await w.waitFor('2/5 done');
    expect(w.frame()).toContain(path.join(dir, 'certs', 'server.crt'));
    await w.press(ENTER, ENTER, ENTER);
    await w.waitFor('Consumer Key:');
    await w.press('3MVG9 abc');
    await w.waitFor(/✗ it contains spaces/);
    await w.press(ESC);
    // Back on the list, every item still ticked: the heading says how to go on.
    await w.waitFor('All 5/5 done: Enter to go on (Space un-ticks)');
    await w.press(ESC);
    await w.waitFor('integration user');
    await w.press(ESC, ESC);
    await w.waitFor('Found a key and certificate');
    w.app.unmount();
  });

  it('step 3: environment, sandbox warning on the username, API version from the org, preview, write', async () => {
    const dir = await tmp();
    await defaultServices({}).generateKeys(dir, { dir: 'certs', bits: 2048, days: 365, subject: {}, force: false });
    const w = await mount(dir);
    await w.waitFor('Found a key');
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    await w.press(ENTER);
    await w.waitFor('integration user');
    await w.press(ENTER);
    await w.waitFor('0/7 done');
    for (let i = 0; i < 7; i++) await w.press(ENTER);
    await w.waitFor('Consumer Key:');
    await w.press(KEY, ENTER);
    await w.waitFor('Environment');
    expect(w.frame()).toContain('✓ 2 App');
    await w.press(DOWN, ENTER);
    await w.waitFor('Username:');
    await w.press('me@example.com');
    await w.waitFor(/! the token URL is a sandbox host/);
    await w.press('.uat', ENTER);
    await w.waitFor('Instance URL:');
    await w.press(ENTER);
    await w.waitFor(/✗ enter the org's URL/);
    await w.press('https://acme--uat.sandbox.my.salesforce.com', ENTER);
    await w.waitFor('API version: v62.0');
    expect(w.frame()).toContain('the newest version');
    await w.press(ENTER);
    await w.waitFor('Private key: ./certs/server.key');
    await w.press(ENTER);
    await w.waitFor('will be created');
    expect(w.frame()).toContain('"tokenUrl": "https://test.salesforce.com/services/oauth2/token"');
    await w.press(ENTER);
    await w.waitFor('Token issued');
    await w.waitFor('Authentication successful!');
    expect(w.frame()).toContain('Wrote .sfconnect.json');
    expect(w.outcomes[0].outcome).toEqual({ kind: 'finished' });
    expect(w.outcomes[0].state.data.gitignoreAdded).toEqual(['.sfconnect.json']);
  });

  it('resume: steps 1-3 shown as done and reused with Enter', async () => {
    const w = await mount(await doneFolder());
    await w.waitFor('Found a key and certificate');
    // Here is ▸ even when found done; the other found steps are ✓.
    expect(w.frame()).toContain('▸ 1 Keys  ✓ 2 App  ✓ 3 Config  · 4 Test');
    expect(w.frame()).toContain('1/4 Keys and certificate');
    await w.press(ENTER);
    await w.waitFor('Found the Consumer Key 3MVG9fe4g9…k.Z');
    await w.press(ENTER);
    await w.waitFor('Found .sfconnect.json');
    await w.press(ENTER);
    await w.waitFor('Authentication successful!');
    expect(w.frame()).toContain('Org ID: 00D000000000001AAA');
    expect(w.outcomes[0].outcome.kind).toBe('finished');
  });

  it('token failure: the card, its fix, and going back to the step that fixes it', async () => {
    const refuse = vi.fn(async () => {
      throw new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: "user hasn't approved this consumer" }), 'refused');
    });
    const w = await mount(await doneFolder(), services(refuse));
    for (const text of ['Found a key', 'Found the Consumer Key', 'Found .sfconnect.json']) {
      await w.waitFor(text);
      await w.press(ENTER);
    }
    await w.waitFor('Go back to step 2 (App in Salesforce)');
    // The card is printed once above the live region (Static): look through every frame written.
    const printed = w.app.frames.join('\n');
    expect(printed).toContain("The user hasn't approved the app");
    expect(printed).toContain("Salesforce said: invalid_grant: user hasn't approved this consumer");
    expect(printed).toContain('Fix:');
    expect(printed).toMatch(/1\. Setup > App Manager > .*Edit Policies/);
    expect(printed).toMatch(/self-authorize/);
    expect(w.frame()).not.toContain('Retry every 30 s');
    await w.press(ENTER);
    await w.waitFor('Found the Consumer Key');
    expect(w.frame()).toContain('2/4 App in Salesforce');
    w.app.unmount();
  });

  it('right after creating the app, user_not_approved offers the automatic retry', async () => {
    const dir = await tmp();
    await defaultServices({}).generateKeys(dir, { dir: 'certs', bits: 2048, days: 365, subject: {}, force: false });
    let calls = 0;
    const w = await mount(
      dir,
      services(async () => {
        calls += 1;
        throw new SalesforceError(classifyOAuthError({ error: 'invalid_client_id', error_description: 'client identifier invalid' }), 'refused');
      }),
    );
    await throughStep2(w);
    await throughStep3(w, 'me@example.com');
    await w.waitFor('Salesforce does not know this Consumer Key: what next?');
    expect(w.app.frames.join('\n')).toMatch(/Causes, most likely first:\n\s+• The app is only minutes old/);
    expect(w.frame()).toContain('❯ Retry every 30 s for up to 10 minutes');
    await w.press(ENTER);
    await w.waitFor(/Retrying in \d+ s \(attempt 2/);
    expect(calls).toBe(2);
    await w.press(ESC);
    await w.waitFor('Try again');
    w.app.unmount();
  });

  it('Ctrl+C quits with 130 at any step; Up wraps to Quit on the card', async () => {
    const w = await mount(await tmp());
    await w.waitFor('Key size');
    await w.press(CTRL_C);
    expect(w.outcomes[0].outcome).toEqual({ kind: 'quit', code: 130 });

    const refuse = async () => {
      throw new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: 'ip restricted' }), 'refused');
    };
    const v = await mount(await doneFolder(), services(refuse));
    for (const text of ['Found a key', 'Found the Consumer Key', 'Found .sfconnect.json']) {
      await v.waitFor(text);
      await v.press(ENTER);
    }
    await v.waitFor('what next?');
    expect(v.app.frames.join('\n')).toContain('Login IP Ranges');
    await v.press(UP, ENTER);
    expect(v.outcomes[0].outcome).toEqual({ kind: 'quit', code: 1 });
  });
});

/** From "Found a key" (step 1) to step 3's first question: reuse the key, Connected App, tick all 7, type the key. */
async function throughStep2(w: Awaited<ReturnType<typeof mount>>): Promise<void> {
  await throughStep2ToConfig(w);
  await w.waitFor('Environment');
}

/** Step 3 with My Domain http://127.0.0.1:9 and `username`, confirming the rest, up to the token test. */
async function throughStep3(w: Awaited<ReturnType<typeof mount>>, username: string): Promise<void> {
  await w.press(DOWN, DOWN, ENTER);
  await w.waitFor('My Domain:');
  await w.press('http://127.0.0.1:9', ENTER);
  await w.waitFor('Username:');
  await w.press(username, ENTER);
  for (const label of ['Instance URL: http://127.0.0.1:9', 'API version:', 'Private key:', 'will be created']) {
    await w.waitFor(label);
    await w.press(ENTER);
  }
}

/** A folder with a key and certificate only (step 1 done). */
async function keyFolder(): Promise<string> {
  const dir = await tmp();
  await defaultServices({}).generateKeys(dir, { dir: 'certs', bits: 2048, days: 365, subject: {}, force: false });
  return dir;
}

const refusing = (error: string, description: string) => async (): Promise<TokenTestOutcome> => {
  throw new SalesforceError(classifyOAuthError({ error, error_description: description }), 'refused');
};

/** Reuse steps 1-3 of a done folder with Enter, up to the failure card. */
async function toFailureCard(w: Awaited<ReturnType<typeof mount>>): Promise<void> {
  for (const text of ['Found a key', 'Found the Consumer Key', 'Found .sfconnect.json']) {
    await w.waitFor(text);
    await w.press(ENTER);
  }
  await w.waitFor('what next?');
}

describe('wizard screens: back, help, redo', () => {
  it('step 3: Esc from the first question goes back to the file found, then to step 2', async () => {
    const w = await mount(await doneFolder());
    await w.waitFor('Found a key');
    await w.press(ENTER);
    await w.waitFor('Found the Consumer Key');
    await w.press(ENTER);
    await w.waitFor('Found .sfconnect.json');
    await w.press(DOWN, ENTER);
    await w.waitFor('Environment');
    await w.press(ESC);
    await w.waitFor('Found .sfconnect.json');
    expect(w.frame()).toContain('3/4 Configuration');
    await w.press(ESC);
    await w.waitFor('Found the Consumer Key');
    expect(w.frame()).toContain('2/4 App in Salesforce');
    w.app.unmount();
  });

  it('step 3 in a folder without config: Esc from the first question goes straight back to step 2, which has the key typed', async () => {
    const w = await mount(await keyFolder());
    await throughStep2(w);
    expect(w.frame()).toContain('3/4 Configuration');
    await w.press(ESC);
    await w.waitFor('The Consumer Key 3MVG9fe4g9…k.Z, entered earlier.');
    expect(w.frame()).toContain('2/4 App in Salesforce');
    expect(w.frame()).toContain('❯ Reuse the app');
    w.app.unmount();
  });

  it('step 4: Esc on the failure card goes back to step 3', async () => {
    const w = await mount(await doneFolder(), services(refusing('invalid_grant', 'ip restricted')));
    await toFailureCard(w);
    expect(w.frame()).toContain('4/4 Token test');
    await w.press(ESC);
    await w.waitFor('Found .sfconnect.json');
    expect(w.frame()).toContain('3/4 Configuration');
    expect(w.outcomes).toEqual([]);
    w.app.unmount();
  });

  it('Backspace in a list goes back a step, as Esc does', async () => {
    const w = await mount(await doneFolder());
    await w.waitFor('Found a key');
    await w.press(ENTER);
    await w.waitFor('Found the Consumer Key');
    await w.press(BACKSPACE);
    await w.waitFor('Found a key and certificate');
    expect(w.frame()).toContain('1/4 Keys and certificate');
    await w.press(ENTER, ENTER);
    await w.waitFor('Found .sfconnect.json');
    await w.press(BACKSPACE);
    await w.waitFor('Found the Consumer Key');
    expect(w.frame()).toContain('2/4 App in Salesforce');
    w.app.unmount();
  });

  it('? shows the help of steps 2, 3 and 4, and closes again', async () => {
    const w = await mount(await doneFolder(), services(refusing('invalid_grant', 'ip restricted')));
    /** Open the help on the screen showing `screen`, check it, close it with `closeKey`, and see the screen again. */
    const helpOn = async (screen: string, title: string, text: string, closeKey: string) => {
      await w.press('?');
      await w.waitFor(`Help: ${title}`);
      expect(w.frame()).toContain(text);
      await w.press(closeKey);
      await w.waitFor(screen);
      expect(w.frame()).not.toContain('Help:');
    };
    await w.waitFor('Found a key');
    await w.press(ENTER);
    await w.waitFor('Found the Consumer Key');
    // While help is open, Enter closes it rather than choosing in the list below.
    await helpOn('Found the Consumer Key', 'App in Salesforce', 'Admin approved users are pre-authorized', ENTER);
    await w.press(ENTER);
    await w.waitFor('Found .sfconnect.json');
    await helpOn('Found .sfconnect.json', 'Configuration', 'Sandbox usernames are the production username plus .sandboxname', ESC);
    await w.press(ENTER);
    await w.waitFor('what next?');
    await helpOn('what next?', 'Token test', 'iss = Consumer Key', '?');
    w.app.unmount();
  });

  it('step 1: reuse keeps the pair byte for byte', async () => {
    const dir = await keyFolder();
    const key = await readFile(path.join(dir, 'certs', 'server.key'), 'utf8');
    const w = await mount(dir);
    await w.waitFor('Found a key and certificate');
    expect(w.frame()).toContain('❯ Reuse them');
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    expect(w.frame()).toMatch(/✓ 1\/4 Keys and certificate: certs\/server\.key \(RSA 2048\) and certs\/server\.crt, reused/);
    expect(await readFile(path.join(dir, 'certs', 'server.key'), 'utf8')).toBe(key);
    expect((await readdir(path.join(dir, 'certs'))).sort()).toEqual(['server.crt', 'server.key']);
    w.app.unmount();
  });

  it('step 1: regenerate makes a new pair and keeps the old one as .bak, said on screen', async () => {
    const dir = await keyFolder();
    const oldKey = await readFile(path.join(dir, 'certs', 'server.key'), 'utf8');
    const oldCertificate = await readFile(path.join(dir, 'certs', 'server.crt'), 'utf8');
    const w = await mount(dir);
    await w.waitFor('Found a key and certificate');
    await w.press(DOWN, ENTER);
    await w.waitFor('Key size');
    await w.press(ENTER);
    await acceptKeyDefaults(w);
    await w.waitFor('Enter to continue');
    const names = await readdir(path.join(dir, 'certs'));
    const keyBackup = names.find((n) => /^server\.key\..+\.bak$/.test(n));
    const certificateBackup = names.find((n) => /^server\.crt\..+\.bak$/.test(n));
    expect(keyBackup, names.join(', ')).toBeDefined();
    expect(certificateBackup, names.join(', ')).toBeDefined();
    expect(await readFile(path.join(dir, 'certs', keyBackup!), 'utf8')).toBe(oldKey);
    expect(await readFile(path.join(dir, 'certs', certificateBackup!), 'utf8')).toBe(oldCertificate);
    expect((await stat(path.join(dir, 'certs', keyBackup!))).mode & 0o777).toBe(0o600);
    const newKey = await readFile(path.join(dir, 'certs', 'server.key'), 'utf8');
    expect(newKey).not.toBe(oldKey);
    expect(w.frame()).toContain(`Kept the old file as certs/${keyBackup}`);
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    expect(w.frame()).toMatch(/certs\/server\.key \(RSA 2048\) and certs\/server\.crt, new/);
    w.app.unmount();
  });

  it('step 2: a new key makes "Go through the checklist" the default; choosing it starts the checklist', async () => {
    const dir = await doneFolder();
    const w = await mount(dir);
    await w.waitFor('Found a key');
    await w.press(DOWN, ENTER);
    await w.waitFor('Key size');
    await w.press(ENTER);
    await acceptKeyDefaults(w);
    await w.waitFor('Enter to continue');
    await w.press(ENTER);
    await w.waitFor('Found the Consumer Key');
    expect(w.frame()).toContain('Step 1 made a new certificate: upload it to the app');
    expect(w.frame()).toContain('❯ Go through the checklist');
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    await w.press(ESC);
    await w.waitFor('Found the Consumer Key');
    // Reusing is still possible, with a word of warning.
    await w.press(UP);
    await w.waitFor('only if you upload the new certificate yourself');
    w.app.unmount();
  });

  it('step 3: "Change it" pre-fills the current values and previews what changes in the existing file', async () => {
    const dir = await doneFolder();
    const before = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as Record<string, string>;
    const w = await mount(dir);
    await w.waitFor('Found a key');
    await w.press(ENTER);
    await w.waitFor('Found the Consumer Key');
    await w.press(ENTER);
    await w.waitFor('Found .sfconnect.json');
    expect(w.frame()).toContain('me@example.com at http://127.0.0.1:9/services/oauth2/token');
    await w.press(DOWN, ENTER);
    await w.waitFor('Environment');
    expect(w.frame()).toContain('❯ My Domain');
    await w.press(ENTER);
    await w.waitFor('My Domain: http://127.0.0.1:9');
    await w.press(ENTER);
    await w.waitFor('Username: me@example.com');
    await w.press('\u0015', 'new.user@example.com', ENTER);
    await w.waitFor('Instance URL: http://127.0.0.1:9');
    await w.press(ENTER);
    // The file's own version is kept when the org cannot be asked (services() says v62.0 here).
    await w.waitFor('API version: v62.0');
    await w.press(ENTER);
    await w.waitFor('Private key: ./certs/server.key');
    await w.press(ENTER);
    await w.waitFor('.sfconnect.json will change:');
    const preview = w.frame();
    expect(preview).toContain('username: me@example.com → new.user@example.com');
    expect(preview).toContain('apiVersion: v59.0 → v62.0');
    expect(preview).not.toContain('clientId:');
    expect(preview).toContain('❯ Save the changes');
    // Nothing is written before the user says so.
    expect(JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8'))).toEqual(before);
    await w.press(ENTER);
    await w.waitFor('Authentication successful!');
    expect(w.frame()).toMatch(/Updated \(.*username.*\) \.sfconnect\.json/);
    const after = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as Record<string, string>;
    expect(after).toEqual({ ...before, username: 'new.user@example.com', apiVersion: 'v62.0' });
  });

  it('step 3: when /services/data/ cannot be read, the API version falls back to v59.0 and says why', async () => {
    let asked = 0;
    const org = await localServer((req, res) => {
      asked += 1;
      res.writeHead(503, { 'content-type': 'text/html' }).end('<html>Down for maintenance</html>');
    });
    try {
      const w = await mount(await keyFolder(), { ...defaultServices({}), tokenTest: async () => SUCCESS });
      await throughStep2(w);
      await w.press(DOWN, DOWN, ENTER);
      await w.waitFor('My Domain:');
      await w.press(org.url, ENTER);
      await w.waitFor('Username:');
      await w.press('me@example.com', ENTER);
      await w.waitFor(`Instance URL: ${org.url}`);
      await w.press(ENTER);
      await w.waitFor('API version: v59.0');
      expect(w.frame()).toContain(`could not read ${org.url}/services/data/; v59.0 works on every current org`);
      expect(asked).toBeGreaterThan(0);
      w.app.unmount();
    } finally {
      await org.close();
    }
  });

  it('the failure card: "Run the full doctor" ends the wizard asking for the doctor', async () => {
    const w = await mount(await doneFolder(), services(refusing('invalid_grant', "user hasn't approved this consumer")));
    await toFailureCard(w);
    // Actions: Try again, Go back to step 2 (highlighted), Run the full doctor, Quit.
    await w.press(DOWN);
    await w.waitFor('every check, with evidence');
    await w.press(ENTER);
    expect(w.outcomes.map((o) => o.outcome)).toEqual([{ kind: 'doctor' }]);
  });
});

describe('wizard screens: keys faster than the screen', () => {
  it('Enter pressed on several checklist items before a re-render ticks each of them', async () => {
    const w = await mount(await keyFolder());
    await w.waitFor('Found a key');
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    await w.press(ENTER);
    await w.waitFor('integration user');
    await w.press(ENTER);
    await w.waitFor('0/7 done');
    // Three Enters in a row, handled before React draws again (a quick double press, key repeat).
    for (let i = 0; i < 3; i++) w.app.stdin.write(ENTER);
    await w.waitFor('3/7 done');
    expect(w.frame()).toContain('✓ 3. Upload the certificate');
    expect(w.frame()).toContain('❯ ○ 4. ');
    for (let i = 0; i < 4; i++) w.app.stdin.write(ENTER);
    await w.waitFor('Consumer Key:');
    w.app.unmount();
  });
});

describe('wizard screens: automatic retry', () => {
  it('retries every 30 s and stops after 10 minutes with the card again (fake clock)', { timeout: 120_000 }, async () => {
    let calls = 0;
    const w = await mount(
      await keyFolder(),
      services(async () => {
        calls += 1;
        throw new SalesforceError(classifyOAuthError({ error: 'invalid_client_id', error_description: 'client identifier invalid' }), 'refused');
      }),
    );
    await throughStep2(w);
    await throughStep3(w, 'me@example.com');
    await w.waitFor('❯ Retry every 30 s for up to 10 minutes');
    expect(calls).toBe(1);
    // From here the clock is fake: Date, timeouts and intervals move only when the test says so. React's
    // effects (setImmediate) still run, so each countdown is armed before the clock jumps.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const settle = async () => {
        for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
      };
      const started = Date.now();
      w.app.stdin.write(ENTER);
      await settle();
      expect(calls).toBe(2);
      expect(w.frame()).toMatch(/Retrying in 30 s \(attempt 2; stops at \d\d:\d\d\)/);
      let elapsed = 0;
      while (!w.frame().includes('what next?') && elapsed < 15 * 60_000) {
        await vi.advanceTimersByTimeAsync(30_000);
        elapsed += 30_000;
        await settle();
      }
      // One attempt when chosen, then one every 30 s up to and including the 10-minute mark: 21, plus the first.
      expect(calls).toBe(22);
      expect(Date.now() - started).toBe(10 * 60_000);
      expect(w.frame()).toContain('Salesforce does not know this Consumer Key: what next?');
      // Stopped for good: no timer left to try again.
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      await settle();
      expect(calls).toBe(22);
    } finally {
      vi.useRealTimers();
    }
    w.app.unmount();
  });
});

describe('wizard screens: step 1 after a pair was made', () => {
  it('Esc on "Enter to continue" and generating again replaces the pair just made (kept as .bak), no "already exists"', async () => {
    const dir = await tmp();
    const w = await mount(dir);
    await w.waitFor('Key size');
    await w.press(ENTER);
    await acceptKeyDefaults(w);
    await w.waitFor('Enter to continue');
    const first = await readFile(path.join(dir, 'certs', 'server.key'), 'utf8');
    // Back to the questions, e.g. to change the validity.
    await w.press(ESC);
    await w.waitFor('Key size');
    await w.press(ENTER);
    await w.waitFor('Valid for (days): 365');
    await w.press(BACKSPACE, BACKSPACE, BACKSPACE, '90', ENTER);
    for (const label of ['Country (2 letters): US', 'State: California', 'City: San Francisco', 'Organization: Your Company', 'Organizational unit: IT', 'Common name: sf-setup', 'Email: admin@example.com']) {
      await w.waitFor(label);
      await w.press(ENTER);
    }
    await w.waitFor(/Enter to continue|✗/);
    expect(w.frame()).not.toContain('✗');
    expect(w.frame()).toContain('Kept the old file as certs/server.key.');
    const names = await readdir(path.join(dir, 'certs'));
    const backup = names.find((n) => /^server\.key\..+\.bak$/.test(n));
    expect(await readFile(path.join(dir, 'certs', backup!), 'utf8')).toBe(first);
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    expect(w.frame()).toMatch(/certs\/server\.key \(RSA 2048\) and certs\/server\.crt, new, 90 days/);
    w.app.unmount();
  });
});

describe('wizard screens: going back after step 3 wrote the file', () => {
  it('a wrong Consumer Key: "Go back to step 2" offers to paste another first; the checklist keeps its ticks', async () => {
    const dir = await keyFolder();
    const GOOD = `${KEY.slice(0, -3)}Q.Z`;
    const used: string[] = [];
    const w = await mount(
      dir,
      services(async (cwd, configPath) => {
        const { clientId } = JSON.parse(await readFile(configPath, 'utf8')) as { clientId: string };
        used.push(clientId);
        if (clientId !== GOOD) throw new SalesforceError(classifyOAuthError({ error: 'invalid_client_id', error_description: 'client identifier invalid' }), 'refused');
        return SUCCESS;
      }),
    );
    await throughStep2(w);
    await throughStep3(w, 'me@example.com');
    await w.waitFor('Salesforce does not know this Consumer Key: what next?');
    // Actions: Try again, Retry every 30 s (highlighted: the app is minutes old), Go back to step 2, ...
    await w.press(DOWN);
    await w.waitFor('❯ Go back to step 2');
    await w.press(ENTER);
    await w.waitFor('❯ Paste another Consumer Key');
    // The checklist, visited again, has the ticks of this run.
    await w.press(UP, ENTER);
    await w.waitFor('Which kind of app');
    await w.press(ENTER);
    await w.waitFor('integration user');
    await w.press(ENTER);
    await w.waitFor('7/7 done');
    await w.press(ESC);
    await w.waitFor('integration user');
    await w.press(ESC);
    await w.waitFor('Which kind of app');
    await w.press(ESC);
    await w.waitFor('❯ Paste another Consumer Key');
    await w.press(ENTER);
    await w.waitFor('Consumer Key:');
    expect(w.frame()).not.toContain('Which kind of app');
    await w.press(GOOD, ENTER);
    await w.waitFor('❯ My Domain');
    // Step 3 again, every answer pre-filled from the file; the preview shows the new key going in.
    await w.press(ENTER);
    for (const label of ['My Domain: http://127.0.0.1:9', 'Username: me@example.com', 'Instance URL: http://127.0.0.1:9', 'API version:', 'Private key:', 'will change']) {
      await w.waitFor(label);
      await w.press(ENTER);
    }
    await w.waitFor('Authentication successful!');
    expect(used).toEqual([KEY, GOOD]);
    w.app.unmount();
  });

  it('"Go back to step 2" from the card finds the Consumer Key and the config just written (no checklist, no retyping)', async () => {
    const dir = await keyFolder();
    let calls = 0;
    const w = await mount(
      dir,
      services(async () => {
        calls += 1;
        if (calls === 1) throw new SalesforceError(classifyOAuthError({ error: 'invalid_grant', error_description: "user hasn't approved this consumer" }), 'refused');
        return SUCCESS;
      }),
    );
    await throughStep2(w);
    await throughStep3(w, 'typed.once@example.com');
    await w.waitFor('Go back to step 2 (App in Salesforce)');
    // Actions: Try again, Retry every 30 s (highlighted: the app is minutes old), Go back to step 2, ...
    await w.press(DOWN);
    await w.waitFor('the step that fixes this');
    await w.press(ENTER);
    await w.waitFor('2/4 App in Salesforce');
    await w.waitFor('Found the Consumer Key 3MVG9fe4g9…k.Z');
    // Steps 2 and 3 are found done on disk again (the header marks step 3 ✓, and step 2, where the user is, ▸).
    expect(w.frame()).toContain('✓ 1 Keys  ▸ 2 App  ✓ 3 Config  · 4 Test');
    await w.press(ENTER);
    await w.waitFor('Found .sfconnect.json');
    expect(w.frame()).toContain('typed.once@example.com at http://127.0.0.1:9/services/oauth2/token');
    await w.press(ENTER);
    await w.waitFor('Authentication successful!');
    expect(calls).toBe(2);
    w.app.unmount();
  });
});

describe('wizard screens: the checklist of each app type keeps its own ticks (TUI review)', () => {
  it('ticks made for a Connected App are not counted or shown for an External Client App, and come back with it', async () => {
    const w = await mount(await keyFolder());
    await w.waitFor('Found a key');
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    await w.press(ENTER);
    await w.waitFor('integration user');
    await w.press(ENTER);
    await w.waitFor('0/7 done');
    for (let i = 0; i < 5; i++) w.app.stdin.write(ENTER);
    await w.waitFor('5/7 done');
    await w.press(ESC);
    await w.waitFor('integration user');
    await w.press(ESC);
    await w.waitFor('Which kind of app');
    await w.press(DOWN, ENTER);
    await w.waitFor('integration user');
    await w.press(ENTER);
    await w.waitFor('0/5 done');
    expect(w.frame()).not.toMatch(/✓ \d\. /);
    await w.press(ENTER);
    await w.waitFor('1/5 done');
    // With the integration-user steps, the count is of this list's items only.
    await w.press(ESC);
    await w.waitFor('integration user');
    await w.press(DOWN, ENTER);
    await w.waitFor('1/8 done');
    await w.press(ESC);
    await w.waitFor('integration user');
    await w.press(UP, ENTER);
    await w.waitFor('1/5 done');
    // Back to the Connected App: its five ticks are there.
    await w.press(ESC);
    await w.waitFor('integration user');
    await w.press(ESC);
    await w.waitFor('Which kind of app');
    await w.press(UP, ENTER);
    await w.waitFor('integration user');
    await w.press(ENTER);
    await w.waitFor('5/7 done');
    w.app.unmount();
  });
});

describe('wizard screens: a config file that cannot be read (TUI review)', () => {
  it('step 3 says so first and offers to set it aside as .bak; the new file is then written and the old one kept', async () => {
    const dir = await keyFolder();
    const broken = '{ "instanceUrl": "https://acme.my.salesforce.com", broken';
    await writeFile(path.join(dir, '.sfconnect.json'), broken);
    const w = await mount(dir, services(async () => SUCCESS));
    await throughStep2ToConfig(w);
    await w.waitFor('is not valid JSON');
    expect(w.frame()).toContain('❯ Set it aside (kept as .bak) and write a new one');
    await w.press(ENTER);
    await w.waitFor('Environment');
    await throughStep3(w, 'me@example.com');
    await w.waitFor('Authentication successful!');
    const names = await readdir(dir);
    const backup = names.find((n) => /^\.sfconnect\.json\..+\.bak$/.test(n));
    expect(backup, names.join(' ')).toBeDefined();
    expect(await readFile(path.join(dir, backup!), 'utf8')).toBe(broken);
    expect(JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8'))).toMatchObject({ username: 'me@example.com' });
    w.app.unmount();
  });
});

/** Step 2 as throughStep2, up to what step 3 shows first (not necessarily its form). */
async function throughStep2ToConfig(w: Awaited<ReturnType<typeof mount>>): Promise<void> {
  await w.waitFor('Found a key');
  await w.press(ENTER);
  await w.waitFor('Which kind of app');
  await w.press(ENTER);
  await w.waitFor('integration user');
  await w.press(ENTER);
  await w.waitFor('0/7 done');
  for (let i = 0; i < 7; i++) await w.press(ENTER);
  await w.waitFor('Consumer Key:');
  await w.press(KEY, ENTER);
}

describe('wizard screens: Esc while the token test runs (TUI review)', () => {
  it('goes back to step 3 as the footer says, and the answer that comes later is ignored', async () => {
    let answer: (value: TokenTestOutcome) => void = () => undefined;
    const w = await mount(await keyFolder(), services(() => new Promise<TokenTestOutcome>((resolve) => (answer = resolve))));
    await throughStep2(w);
    await throughStep3(w, 'me@example.com');
    await w.waitFor('Requesting a token');
    await w.press(ESC);
    // Step 3 again: the config just written is found, to reuse or change.
    await w.waitFor('Reuse it');
    answer(SUCCESS);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.frame()).not.toContain('Authentication successful');
    expect(w.frame()).toContain('Reuse it');
    expect(w.outcomes).toEqual([]);
    w.app.unmount();
  });
});

describe('wizard screens: a key without its certificate (TUI review)', () => {
  it('says so once, in its heading and the file line, not three times', async () => {
    const dir = await keyFolder();
    await rm(path.join(dir, 'certs', 'server.crt'));
    const w = await mount(dir);
    await w.waitFor('Found a private key, but no certificate beside it:');
    expect(w.frame()).toMatch(/certs\/server\.crt {2}missing/);
    expect(w.frame()).not.toContain('the certificate is missing');
    expect(w.frame()).not.toContain('Found a key and certificate');
    w.app.unmount();
  });
});

describe('wizard screens: a key whose certificate was lost (TUI review)', () => {
  it('"Make a certificate for this key" writes one for the same key (the app keeps working) and goes on to step 2', async () => {
    const dir = await keyFolder();
    const keyFile = path.join(dir, 'certs', 'server.key');
    const key = await readFile(keyFile, 'utf8');
    await rm(path.join(dir, 'certs', 'server.crt'));
    const w = await mount(dir);
    await w.waitFor('Found a private key, but no certificate beside it:');
    expect(w.frame()).toContain('❯ Make a certificate for this key');
    await w.press(ENTER);
    await w.waitFor('Which kind of app');
    expect(w.frame()).toMatch(/certs\/server\.key \(RSA 2048\) and a new certs\/server\.crt for it/);
    expect(await readFile(keyFile, 'utf8')).toBe(key);
    const facts = detectKeys(keyFile, path.join(dir, 'certs', 'server.crt'));
    expect(facts.usable).toBe(true);
    expect(facts.matches).toBe(true);
    expect((await stat(path.join(dir, 'certs', 'server.crt'))).mode & 0o777).toBe(0o644);
    w.app.unmount();
  });
});
