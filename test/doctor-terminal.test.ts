/**
 * The doctor's live screen, as the built binary draws it in a real pseudo-terminal (tmux): `f` offers the
 * repairs, `--fix` goes straight to them; each still asks y/n, and only a yes changes a file.
 */
import { chmod, stat } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { orgProject, type OrgProject } from './helpers/org.js';
import { built, hasTmux, Terminal } from './helpers/terminal.js';

const projects: OrgProject[] = [];
const terminals: Terminal[] = [];
afterEach(async () => {
  while (terminals.length) terminals.pop()!.kill();
  while (projects.length) await projects.pop()!.org.close();
});

async function worldReadableKey(): Promise<OrgProject> {
  const p = await orgProject({ scenario: 'ok' });
  projects.push(p);
  await chmod(p.keyPath, 0o644);
  return p;
}

describe.skipIf(!hasTmux || !built)('doctor in a terminal', () => {
  it('without --fix: the failure, then "press f"; q leaves and changes nothing', async () => {
    const p = await worldReadableKey();
    const t = new Terminal(p.dir, ['doctor', '--offline']);
    terminals.push(t);
    const screen = await t.waitFor(/press f to review/);
    expect(screen).toMatch(/✗ Private key .*mode 0644/);
    t.keys('q');
    expect(await t.exitCode()).toBe(1);
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o644);
  });

  it('--fix: straight to the repair question; n leaves the file as it was', async () => {
    const p = await worldReadableKey();
    const t = new Terminal(p.dir, ['doctor', '--offline', '--fix']);
    terminals.push(t);
    const screen = await t.waitFor(/chmod 600 certs\/server\.key\? y\/n/);
    expect(screen).not.toMatch(/press f to review/);
    t.keys('n');
    expect(await t.exitCode()).toBe(1);
    expect(t.screen()).toMatch(/- not changed: chmod 600 certs\/server\.key/);
    expect(t.screen()).not.toMatch(/again to confirm/); // nothing changed, nothing to confirm
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o644);
  });

  it('--fix: y applies it', async () => {
    const p = await worldReadableKey();
    const t = new Terminal(p.dir, ['doctor', '--offline', '--fix']);
    terminals.push(t);
    await t.waitFor(/chmod 600 certs\/server\.key\? y\/n/);
    t.keys('y');
    await t.exitCode();
    expect(t.screen()).toMatch(/✓ certs\/server\.key is now mode 0600/);
    expect(t.screen()).toMatch(/Run `sf-setup doctor` again to confirm/);
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o600);
  });

  it('at 60 columns the failure is wrapped to the width with hanging indents, not cut by the terminal', async () => {
    const p = await orgProject({ scenario: 'ip_restricted' });
    projects.push(p);
    const t = new Terminal(p.dir, ['doctor'], { x: 60, y: 20 });
    terminals.push(t);
    expect(await t.exitCode()).toBe(1);
    // -J joins lines the terminal wrapped: what remains is what the doctor wrote.
    const written = t.joined().split('\n').filter((line) => !/^EXIT=/.test(line));
    const tooWide = written.filter((line) => [...line.trimEnd()].length > 60);
    expect(tooWide).toEqual([]);
    const text = written.join('\n');
    expect(text).toMatch(/✗ Token request/);
    expect(text).toMatch(/\n {8}\S/); // a cause or fix step continued under its text
    expect(text).toMatch(/1 problem/);
  });
});


describe.skipIf(!hasTmux || !built)('explain and test in a terminal wrap to its width', () => {
  // Lines as written (tmux -J joins what the terminal wrapped): none wider than the terminal, so no word is
  // cut by the terminal's own wrap and continuation lines keep their indent.
  const widest = (t: Terminal) => Math.max(...t.joined().split('\n').map((line) => [...line.trimEnd()].length));

  it('explain at 60 columns', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    const t = new Terminal(p.dir, ['explain', 'invalid_grant: ip restricted'], { x: 60, y: 50 });
    terminals.push(t);
    await t.waitFor('Check the profile');
    expect(await t.exitCode()).toBe(0);
    expect(widest(t), t.joined()).toBeLessThanOrEqual(60);
    expect(t.joined()).toMatch(/\n {4}[a-z]/);
  });

  it('a refusal (one line and its fix) at 60 columns', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    const t = new Terminal(p.dir, ['doctor', '--report', 'certs/server.key'], { x: 60, y: 20 });
    terminals.push(t);
    await t.waitFor('fix:');
    expect(await t.exitCode()).toBe(2);
    expect(widest(t), t.joined()).toBeLessThanOrEqual(60);
    expect(t.joined()).toMatch(/\n {4}\S/);
  });

  it('a failed test at 60 columns', async () => {
    const p = await orgProject({ scenario: 'ip_restricted' });
    projects.push(p);
    const t = new Terminal(p.dir, ['test'], { x: 60, y: 60 });
    terminals.push(t);
    await t.waitFor('Login Hours too');
    expect(await t.exitCode()).toBe(1);
    expect(widest(t), t.joined()).toBeLessThanOrEqual(60);
  });
});
