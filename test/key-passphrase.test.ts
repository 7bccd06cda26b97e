/**
 * An encrypted private key: `sf-setup test` at a terminal asks for the passphrase (masked, three tries);
 * anywhere else (a pipe, --json, CI) it stops with key_encrypted and the fix. Real binary, real tmux.
 */
import { createPrivateKey } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';
import { built, hasTmux, Terminal } from './helpers/terminal.js';

const PASSPHRASE = 'corr3ct-horse';
const projects: OrgProject[] = [];
const terminals: Terminal[] = [];
afterEach(async () => {
  while (terminals.length) terminals.pop()!.kill();
  while (projects.length) await projects.pop()!.org.close();
});

/** A project whose key file holds the same key, encrypted (so the uploaded certificate still matches). */
async function encryptedKeyProject(): Promise<OrgProject> {
  const p = await orgProject({ scenario: 'ok' });
  projects.push(p);
  const encrypted = createPrivateKey(p.pair.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }) as string;
  await writeFile(p.keyPath, encrypted, { mode: 0o600 });
  return p;
}

describe('an encrypted key', () => {
  it('without a terminal: key_encrypted, exit 2, the fix names SF_PRIVATE_KEY_PASSPHRASE; with it set, the token test passes', async () => {
    const p = await encryptedKeyProject();
    const refused = await runCli(['test'], { cwd: p.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is encrypted .* no passphrase was given/);
    expect(refused.stderr).toMatch(/SF_PRIVATE_KEY_PASSPHRASE/);
    const json = await runCli(['test', '--json'], { cwd: p.dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, code: 'key_encrypted' });
    const ok = await runCli(['test'], { cwd: p.dir, env: { SF_PRIVATE_KEY_PASSPHRASE: PASSPHRASE } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Authentication successful!/);
  });

  describe.skipIf(!hasTmux || !built)('at a terminal', () => {
    it('asks for the passphrase, masked; a wrong one is said and asked again; the right one logs in', async () => {
      const p = await encryptedKeyProject();
      const t = new Terminal(p.dir, ['test']);
      terminals.push(t);
      await t.waitFor(/Passphrase for certs\/server\.key \(encrypted\)/);
      await t.type('wrong-one');
      t.keys('Enter');
      await t.waitFor(/wrong passphrase: the key did not decrypt; 2 tries left/);
      await t.waitFor(/Passphrase for certs\/server\.key/);
      await t.type(PASSPHRASE);
      t.keys('Enter');
      expect(await t.exitCode()).toBe(0);
      const screen = t.screen();
      expect(screen).toMatch(/Authentication successful!/);
      expect(screen).not.toContain(PASSPHRASE);
      expect(screen).not.toContain('wrong-one');
    });

    it('three wrong answers end with key_encrypted, exit 2', async () => {
      const p = await encryptedKeyProject();
      const t = new Terminal(p.dir, ['test']);
      terminals.push(t);
      for (let i = 0; i < 3; i++) {
        await t.waitFor(new RegExp(`Passphrase for certs/server\\.key[^\\n]*$`, 'm'));
        await t.type(`nope${i}`);
        t.keys('Enter');
        if (i < 2) await t.waitFor(`${2 - i} ${2 - i === 1 ? 'try' : 'tries'} left`);
      }
      expect(await t.exitCode()).toBe(2);
      // Wrapped to the terminal at spaces (a long path moves to its own line, whole).
      expect(t.joined()).toMatch(/the passphrase for\s+\S+ is wrong/);
    });
  });
});
