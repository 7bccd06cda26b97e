/**
 * `sf-setup emulator` as a user runs it: a real long-running process started with each flag, read from its
 * stdout, served to a real `sf-setup test` from another process over HTTP on 127.0.0.1, stopped with Ctrl+C.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKeyAndCert } from './helpers/certs.js';
import { BIN, cleanEnv, hasStackTrace, runCli, tempDir } from './helpers/cli.js';
import { closedPort } from './helpers/servers.js';

interface Running {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Running[] = [];
afterEach(() => {
  // A test that failed before its own SIGINT must not leave an emulator behind.
  for (const r of running.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
});

function startProcess(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [BIN, 'emulator', ...args], { cwd, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const r = { child, out: () => out, err: () => err, exited };
  running.push(r);
  return r;
}

async function waitFor(r: Running, pattern: RegExp, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!pattern.test(r.out())) {
    if (r.child.exitCode !== null) throw new Error(`emulator exited ${r.child.exitCode}: ${r.out()}${r.err()}`);
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${pattern}: ${r.out()}${r.err()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The token URL line and the .sfconnect.json snippet the emulator prints once it is ready. */
async function readyOutput(r: Running): Promise<{ tokenUrl: string; snippet: Record<string, string> }> {
  await waitFor(r, /Requests are logged below/);
  const out = r.out();
  const tokenUrl = /^ {2}Token URL +(\S+)$/m.exec(out)?.[1];
  const json = /\.sfconnect\.json for this org[^\n]*\n(\{[\s\S]*?\n\})\n/.exec(out)?.[1];
  if (!tokenUrl || !json) throw new Error(`no token URL or snippet in: ${out}`);
  return { tokenUrl, snippet: JSON.parse(json) as Record<string, string> };
}

/** A project folder with a key and its certificate outside certs/, so only --cert can name the certificate. */
async function project(): Promise<{ dir: string; keyPath: string; certPath: string }> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'keys'), { mode: 0o700 });
  const { privateKeyPem, certificatePem } = makeKeyAndCert();
  const keyPath = path.join(dir, 'keys', 'app.key');
  const certPath = path.join(dir, 'keys', 'app.crt');
  await writeFile(keyPath, privateKeyPem, { mode: 0o600 });
  await writeFile(certPath, certificatePem);
  return { dir, keyPath, certPath };
}

async function tokenTest(dir: string, config: Record<string, string>) {
  await writeFile(path.join(dir, '.sfconnect.json'), `${JSON.stringify(config, null, 2)}\n`);
  const result = await runCli(['test', '--json', '--timeout', '5'], { cwd: dir });
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
  return { ...result, json: JSON.parse(result.stdout) as { ok: boolean; code?: string; user?: string; instanceUrl?: string } };
}

/** SIGINT (Ctrl+C), then the exit the command gives: 0 from its own handler, no stack trace, a last line. */
async function interrupt(r: Running): Promise<void> {
  r.child.kill('SIGINT');
  const { code, signal } = await r.exited;
  expect(signal).toBeNull();
  expect(code).toBe(0);
  expect(r.out()).toMatch(/Emulated org stopped\.\n$/);
  expect(r.err()).toBe('');
  expect(hasStackTrace(r.out() + r.err())).toBe(false);
}

describe('sf-setup emulator as a long-running process', () => {
  it('--port, --cert, --client-id and --username shape the org it serves; sf-setup test succeeds against it', async () => {
    const { dir, keyPath, certPath } = await project();
    const port = await closedPort();
    const clientId = '3MVG9TestOnlyConsumerKey.forTheEmulatorCommand42';
    const username = 'integration@acme.example.com';
    const r = startProcess(['--port', String(port), '--cert', 'keys/app.crt', '--client-id', clientId, '--username', username], dir);
    const { tokenUrl, snippet } = await readyOutput(r);

    expect(tokenUrl).toBe(`http://127.0.0.1:${port}/services/oauth2/token`);
    expect(r.out()).toContain(`Emulated Salesforce org on http://127.0.0.1:${port}`);
    expect(r.out()).toMatch(/^ {2}Certificate +keys\/app\.crt/m);
    expect(snippet).toMatchObject({ tokenUrl, instanceUrl: `http://127.0.0.1:${port}`, clientId, username, authType: 'jwt', algorithm: 'RS256' });
    // Nothing else answers on that port: the org really listens where it says.
    const versions = await fetch(`http://127.0.0.1:${port}/services/data/`);
    expect(versions.status).toBe(200);

    const ok = await tokenTest(dir, { ...snippet, privateKeyPath: keyPath });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, user: username, instanceUrl: `http://127.0.0.1:${port}` });

    const wrongId = await tokenTest(dir, { ...snippet, clientId: `${clientId}x`, privateKeyPath: keyPath });
    expect(wrongId.code).toBe(1);
    expect(wrongId.json).toMatchObject({ ok: false, code: 'invalid_client_id' });

    // Someone else's key against the certificate given with --cert: the signature does not verify.
    const other = makeKeyAndCert();
    const otherKey = path.join(dir, 'keys', 'other.key');
    await writeFile(otherKey, other.privateKeyPem, { mode: 0o600 });
    const wrongKey = await tokenTest(dir, { ...snippet, privateKeyPath: otherKey });
    expect(wrongKey.json).toMatchObject({ ok: false, code: 'invalid_signature' });

    // The foreground log shows each request as it happens.
    await waitFor(r, /POST \/services\/oauth2\/token 400 invalid_client_id: client identifier invalid/);
    expect(r.out()).toMatch(/POST \/services\/oauth2\/token 200/);
    expect(r.out()).not.toMatch(/PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\./);
    await interrupt(r);
    // Stopped means stopped: the port is free again.
    await expect(fetch(`http://127.0.0.1:${port}/services/data/`)).rejects.toThrow();
  });

  it.each([
    ['ip_restricted', 'ip_restricted'],
    ['user_not_approved', 'user_not_approved'],
    ['api_disabled', 'authentication_failure'],
    ['unsupported_grant_type', 'unsupported_grant_type'],
  ])('--scenario %s: sf-setup test against it fails with %s', async (scenario, code) => {
    const { dir, keyPath } = await project();
    const r = startProcess(['--scenario', scenario, '--cert', 'keys/app.crt'], dir);
    const { snippet } = await readyOutput(r);
    expect(r.out()).toContain(`(scenario: ${scenario})`);
    const result = await tokenTest(dir, { ...snippet, privateKeyPath: keyPath });
    expect(result.code).toBe(1);
    expect(result.json).toMatchObject({ ok: false, code });
    await interrupt(r);
  });

  it('without --cert (and no certs/server.crt) it warns that every assertion will fail, and it does', async () => {
    const { dir, keyPath } = await project();
    const r = startProcess([], dir);
    const { snippet } = await readyOutput(r);
    expect(r.out()).toMatch(/No certificate uploaded/);
    const result = await tokenTest(dir, { ...snippet, privateKeyPath: keyPath });
    expect(result.json).toMatchObject({ ok: false, code: 'invalid_signature' });
    await interrupt(r);
  });

  it('--port already in use: one clear line (and its fix), exit 2, no stack trace', async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const result = await runCli(['emulator', '--port', String(port)], { timeoutMs: 10_000 });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(`✗ port ${port} on 127.0.0.1 is already in use`);
      expect(lines.slice(1)).toEqual(['  fix: choose another --port, or --port 0 for any free port']);
      expect(result.stderr).not.toMatch(/bug|EADDRINUSE/);
      expect(hasStackTrace(result.stderr)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('--port out of range is a usage error, exit 2', async () => {
    const result = await runCli(['emulator', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port must be a port number/);
  });

  it('--list names the scenarios added for the facts sheet errors', async () => {
    const result = await runCli(['emulator', '--list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}api_disabled +\S/m);
    expect(result.stdout).toMatch(/^ {2}unsupported_grant_type +\S/m);
  });
});
