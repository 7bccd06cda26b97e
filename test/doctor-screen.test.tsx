import { chmod, stat } from 'node:fs/promises';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/doctor/checks.js';
import { runtimeCheck } from '../src/doctor/local-checks.js';
import type { Check } from '../src/doctor/types.js';
import { createState, runChecks } from '../src/doctor/run.js';
import { createStyle } from '../src/output/style.js';
import { DoctorScreen } from '../screens/doctor/DoctorScreen.js';
import { orgProject, type OrgProject } from './helpers/org.js';

const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});

async function waitFor(predicate: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting for the screen');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The screen over these checks (all of the doctor's by default), run in `dir`. */
function mount(dir: string, checks: readonly Check[] = CHECKS) {
  const state = createState(dir, {}, { offline: false, timeoutMs: 3000 });
  let exitCode: number | undefined;
  const app = render(
    <DoctorScreen
      titles={checks.map(({ id, title }) => ({ id, title }))}
      run={(hooks) => runChecks([...checks], state, hooks)}
      style={createStyle(false)}
      verbose={false}
      offline={false}
      onExit={(code) => (exitCode = code)}
    />,
  );
  return { app, exitCode: () => exitCode };
}

describe('DoctorScreen (Ink)', () => {
  it('shows every check with its symbol and the summary, and leaves by itself when nothing can be repaired', async () => {
    const p = await orgProject({ scenario: 'ip_restricted' });
    projects.push(p);
    const { app, exitCode } = mount(p.dir);
    await waitFor(() => exitCode() !== undefined);
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/✓ Private key/);
    expect(frame).toMatch(/✗ Token request/);
    expect(frame).toMatch(/Login IP Ranges/);
    expect(frame).toMatch(/1 problem, \d+ passed/);
    expect(exitCode()).toBe(1);
  });

  it('f reviews a repair and y applies it', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    await chmod(p.keyPath, 0o644);
    const { app, exitCode } = mount(p.dir);
    await waitFor(() => /press f to review/.test(app.lastFrame() ?? ''));
    expect(app.lastFrame()).toMatch(/✗ Private key .*mode 0644/);
    app.stdin.write('f');
    await waitFor(() => /chmod 600 certs\/server\.key\? y\/n/.test(app.lastFrame() ?? ''));
    app.stdin.write('y');
    await waitFor(() => exitCode() !== undefined);
    expect(app.lastFrame()).toMatch(/✓ certs\/server\.key is now mode 0600/);
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o600);
  });

  it('f reviews a repair and n leaves it: the file is not changed', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    await chmod(p.keyPath, 0o644);
    const { app, exitCode } = mount(p.dir);
    await waitFor(() => /press f to review/.test(app.lastFrame() ?? ''));
    app.stdin.write('f');
    await waitFor(() => /chmod 600 certs\/server\.key\? y\/n/.test(app.lastFrame() ?? ''));
    app.stdin.write('n');
    await waitFor(() => exitCode() !== undefined);
    expect(app.lastFrame()).toMatch(/- not changed: chmod 600 certs\/server\.key/);
    expect(app.lastFrame()).not.toMatch(/is now mode 0600/);
    // The failure stands: the exit code is still 1.
    expect(exitCode()).toBe(1);
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o644);
  });

  it('shows a spinner on the running check and the pending ones below it, then its result', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Check = { id: 'slow', title: 'A slow check', run: async () => (await gate, { status: 'pass', detail: 'done slowly' }) };
    const after: Check = { id: 'after', title: 'The check after it', run: async () => ({ status: 'pass', detail: 'quick' }) };
    const checks = [runtimeCheck, slow, after];
    const { app, exitCode } = mount(process.cwd(), checks);
    const spinning = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] A slow check/;
    await waitFor(() => spinning.test(app.lastFrame() ?? ''));
    const running = app.lastFrame() ?? '';
    expect(running).toMatch(/✓ Node\.js version/);
    expect(running).toMatch(/^ {2}The check after it$/m);
    expect(running).not.toMatch(/✓ A slow check/);
    expect(running).not.toMatch(/passed/);
    // The spinner turns: a later frame shows another glyph.
    const first = running.match(spinning)![0];
    await waitFor(() => (app.lastFrame()?.match(spinning)?.[0] ?? first) !== first, 2000);
    expect(exitCode()).toBeUndefined();

    release();
    await waitFor(() => exitCode() !== undefined);
    const frame = app.lastFrame() ?? '';
    expect(frame).not.toMatch(spinning);
    expect(frame).toMatch(/✓ A slow check  done slowly/);
    expect(frame).toMatch(/✓ The check after it/);
    expect(frame).toMatch(/3 passed/);
    expect(exitCode()).toBe(0);
  });

  it('q leaves without changing anything', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    await chmod(p.keyPath, 0o640);
    const { app, exitCode } = mount(p.dir);
    await waitFor(() => /press f to review/.test(app.lastFrame() ?? ''));
    app.stdin.write('q');
    await waitFor(() => exitCode() !== undefined);
    expect(exitCode()).toBe(1);
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o640);
  });
});
