/**
 * Network faults end to end (issue 6), beyond the httpRequest-level tests in salesforce-http.test.ts: a TLS
 * server with a self-signed certificate (tls_untrusted, then trusted through NODE_EXTRA_CA_CERTS), an HTTPS
 * proxy from HTTPS_PROXY that the request provably tunnels through, black holes that must end within the
 * timeout, DNS failure in the doctor, and hostile answers seen through the real binary. Every server is on
 * 127.0.0.1 and closed after each test; DNS is injected, never asked.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/doctor/checks.js';
import { createState, runChecks } from '../src/doctor/run.js';
import { httpRequest, NetworkError } from '../src/salesforce/http.js';
import { BIN, cleanEnv, hasStackTrace, tempDir } from './helpers/cli.js';
import { runBinary } from './helpers/hardening.js';
import { orgProject, sharedKeyPair, type OrgProject } from './helpers/org.js';
import { connectProxy, hugeAnswer, localServer } from './helpers/servers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
async function project(): Promise<OrgProject> {
  const p = await orgProject({ writeConfig: false });
  closers.push(() => p.org.close());
  return p;
}

/** A self-signed certificate for 127.0.0.1 (node-forge), usable as its own trust anchor. */
function selfSignedTls(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = '01a2b3c4';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  cert.sign(forge.pki.privateKeyFromPem(key) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(cert) };
}

let tls: { key: string; cert: string };
let caFile: string;
beforeAll(async () => {
  tls = selfSignedTls();
  caFile = path.join(await tempDir('sf-setup-ca-'), 'company-ca.pem');
  await writeFile(caFile, tls.cert);
});

/** An HTTPS server on 127.0.0.1 with the self-signed certificate, forwarding every request to `target` (plain HTTP). */
async function httpsFront(target: string): Promise<{ url: string; requests: number }> {
  const state = { url: '', requests: 0 };
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    state.requests++;
    const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const sockets = new Set<{ destroy(): void; on(event: 'close', listener: () => void): unknown }>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return state;
}

/** A TCP server that accepts connections and never says a word (no HTTP, no TLS handshake). */
async function blackHole(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

interface DoctorJson {
  checks: { id: string; status: string; code?: string; detail: string; fix?: string[] }[];
}
const check = (stdout: string, id: string) => (JSON.parse(stdout) as DoctorJson).checks.find((c) => c.id === id)!;

describe('TLS: a self-signed certificate on the way', () => {
  it('httpRequest: tls_untrusted, naming the verification error', async () => {
    const front = await httpsFront('http://127.0.0.1:9');
    const failure = await httpRequest({ method: 'GET', url: `${front.url}/services/oauth2/token` }, { timeoutMs: 3000, env: {} }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NetworkError);
    expect(failure).toMatchObject({ code: 'tls_untrusted', exitCode: 1 });
    expect((failure as Error).message).toMatch(/is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
  });

  it('the binary: doctor fails the network check with tls_untrusted and the NODE_EXTRA_CA_CERTS advice; with NODE_EXTRA_CA_CERTS the token test passes', async () => {
    const p = await project();
    const front = await httpsFront(p.org.url);
    // The front terminates TLS for the org, whose own origin stays the audience.
    const env = { ...p.env, SF_TOKEN_URL: `${front.url}/services/oauth2/token`, SF_AUDIENCE: p.org.audience };
    const doctor = await runBinary(['doctor', '--json', '--timeout', '3'], { cwd: p.dir, env });
    expect(hasStackTrace(doctor.stderr), doctor.stderr).toBe(false);
    expect(doctor.code).toBe(1);
    const network = check(doctor.stdout, 'network');
    expect(network).toMatchObject({ status: 'fail', code: 'tls_untrusted' });
    expect(network.fix!.join('\n')).toMatch(/NODE_EXTRA_CA_CERTS=/);
    expect(network.fix!.join('\n')).toMatch(/Never disable certificate checks/);
    expect(check(doctor.stdout, 'token').status).toBe('skip');

    const test = await runBinary(['test', '--timeout', '3'], { cwd: p.dir, env });
    expect(test.code).toBe(1);
    expect(test.stderr).toMatch(/\[tls_untrusted\]/);
    expect(test.stderr).toMatch(/export NODE_EXTRA_CA_CERTS=/);

    const trusted = await runBinary(['test', '--json', '--timeout', '5'], { cwd: p.dir, env: { ...env, NODE_EXTRA_CA_CERTS: caFile } });
    expect(trusted.code, trusted.stdout + trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout)).toMatchObject({ ok: true, user: p.org.username });
    expect(front.requests).toBeGreaterThanOrEqual(1);
  });
});

describe('HTTPS_PROXY: a CONNECT proxy', () => {
  it('an https request tunnels through it (proved by the proxy log), and a TLS failure says "through proxy"', async () => {
    const front = await httpsFront('http://127.0.0.1:9');
    const proxy = await connectProxy();
    closers.push(proxy.close);
    const failure = (await httpRequest({ method: 'GET', url: `${front.url}/services/oauth2/token` }, { timeoutMs: 3000, env: { HTTPS_PROXY: proxy.url } }).catch((e: unknown) => e)) as NetworkError;
    expect(failure.code).toBe('tls_untrusted');
    expect(failure.message).toContain(`through proxy ${proxy.url}`);
    expect(proxy.tunnels).toEqual([new URL(front.url).host]);
  });

  it('the binary: `sf-setup test` gets its token through HTTPS_PROXY, and doctor says which proxy', async () => {
    const p = await project();
    const front = await httpsFront(p.org.url);
    const proxy = await connectProxy();
    closers.push(proxy.close);
    const env = { ...p.env, SF_TOKEN_URL: `${front.url}/services/oauth2/token`, SF_AUDIENCE: p.org.audience, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile };
    const test = await runBinary(['test', '--json', '--timeout', '5'], { cwd: p.dir, env });
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(proxy.tunnels).toContain(new URL(front.url).host);
    const doctor = await runBinary(['doctor', '--json', '--timeout', '5'], { cwd: p.dir, env });
    expect(check(doctor.stdout, 'network').detail).toContain(`through proxy ${proxy.url}`);
    expect(check(doctor.stdout, 'token').status).toBe('pass');
  });

  it('a proxy that refuses is network_unreachable naming the proxy, not the host', async () => {
    const p = await project();
    const port = await blackHole();
    const dead = await localServer(() => undefined);
    const deadUrl = dead.url;
    await dead.close();
    const env = { ...p.env, SF_TOKEN_URL: `https://127.0.0.1:${port}/services/oauth2/token`, HTTPS_PROXY: deadUrl };
    const result = await runBinary(['test', '--json', '--timeout', '3'], { cwd: p.dir, env });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { code: string; message: string; fix: string[] };
    expect(json.code).toBe('network_unreachable');
    expect(json.message).toMatch(new RegExp(`^the proxy ${deadUrl.replace(/[.]/g, '\\.')} could not be reached \\(ECONNREFUSED\\), so the request to 127\\.0\\.0\\.1:${port} was not sent`));
    expect(json.fix[0]).toMatch(/proxy/i);
  });

  it('a proxy variable without a scheme is taken as http:// (as curl does); one that is not a URL is exit 2 naming the variable', async () => {
    const p = await project();
    const dead = await localServer(() => undefined);
    const hostPort = new URL(dead.url).host;
    await dead.close();
    const plain = await runBinary(['test', '--json', '--timeout', '3'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: 'https://127.0.0.1:9/services/oauth2/token', HTTPS_PROXY: hostPort } });
    expect(plain.code).toBe(1);
    expect((JSON.parse(plain.stdout) as { message: string }).message).toContain(`the proxy http://${hostPort} could not be reached`);
    for (const bad of ['http://', 'not a url at all', 'ftp://proxy.example.com:21']) {
      const result = await runBinary(['test', '--json'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: 'https://127.0.0.1:9/services/oauth2/token', HTTPS_PROXY: bad } });
      expect(result.code, bad).toBe(2);
      expect(JSON.parse(result.stdout), bad).toMatchObject({ ok: false, code: 'config_invalid', message: expect.stringMatching(/^HTTPS_PROXY is not a proxy URL/) });
      expect(hasStackTrace(result.stderr)).toBe(false);
    }
  });
});

describe('black holes end within the timeout plus a second', () => {
  it('doctor --json against a server that never answers: timeout, within --timeout + 1 s (+ start-up)', async () => {
    const p = await project();
    const { url } = await localServer(() => undefined).then((s) => (closers.push(s.close), s));
    const started = Date.now();
    const result = await runBinary(['doctor', '--json', '--timeout', '1'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: `${url}/services/oauth2/token`, SF_INSTANCE_URL: url } });
    expect(Date.now() - started).toBeLessThan(1000 + 1000 + 1000 /* node start-up on a busy CI core */);
    expect(result.code).toBe(1);
    expect(check(result.stdout, 'network')).toMatchObject({ status: 'fail', code: 'timeout' });
    expect(check(result.stdout, 'token').status).toBe('skip');
  });

  it('test against a TCP port that never completes the TLS handshake: timeout', async () => {
    const p = await project();
    const port = await blackHole();
    const started = Date.now();
    const result = await runBinary(['test', '--json', '--timeout', '1'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: `https://127.0.0.1:${port}/services/oauth2/token` } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, code: 'timeout' });
  });
});

describe('DNS failure in the doctor (lookup injected: no resolver is asked)', () => {
  it('network fails with dns_failure naming the host; token is skipped', async () => {
    const pair = await sharedKeyPair();
    const lookup = ((hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException) => void) => {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      process.nextTick(() => callback(error));
    }) as never;
    const env = {
      SF_TOKEN_URL: 'https://acme-typo.my.salesforce.com/services/oauth2/token',
      SF_CLIENT_ID: '3MVG9abcdefghijklmnop',
      SF_USERNAME: 'me@acme.com',
      SF_PRIVATE_KEY: pair.privateKeyPem,
    };
    const state = createState(await tempDir(), env, { offline: false, timeoutMs: 2000 });
    state.http.lookup = lookup;
    const report = await runChecks(CHECKS, state);
    const network = report.checks.find((c) => c.id === 'network')!;
    expect(network).toMatchObject({ status: 'fail', code: 'dns_failure' });
    expect(network.detail).toContain('acme-typo.my.salesforce.com');
    expect(network.fix!.join(' ')).toMatch(/nslookup/);
    expect(report.checks.find((c) => c.id === 'token')!.status).toBe('skip');
    expect(report.exitCode).toBe(1);
  });
});

describe('hostile answers through the binary (`test --json`)', () => {
  const ANSWERS: [string, string, RegExp, http.RequestListener][] = [
    ['dropped mid-answer', 'network_unreachable', /closed the connection|failed/, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"access_token":"00D');
      setTimeout(() => res.socket?.destroy(), 20);
    }],
    ['a 10 MB answer', 'unexpected_response', /larger than 1024 KB; refused/, hugeAnswer(10)],
    ['an HTML 200', 'unexpected_response', /an HTML page, not Salesforce's JSON: "Sign in"/, (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Sign in</h1></body></html>');
    }],
    ['JSON of the wrong shape', 'unexpected_response', /JSON that is not a token answer \(fields: token, url\)/, (req, res) => res.end('{"token":"x","url":"y"}')],
    ['an empty 502', 'unexpected_response', /answered 502 with an empty body/, (req, res) => {
      res.writeHead(502);
      res.end();
    }],
    ['a token answer without instance_url', 'unexpected_response', /not a token answer/, (req, res) => res.end('{"access_token":"00Dxx!AQ0AQ","token_type":"Bearer"}')],
  ];

  it.each(ANSWERS)('%s -> %s, one clear line, no stack trace', async (_name, code, message, handler) => {
    const p = await project();
    const server = await localServer(handler);
    closers.push(server.close);
    const result = await runBinary(['test', '--json', '--timeout', '3'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: `${server.url}/services/oauth2/token`, SF_INSTANCE_URL: server.url } });
    expect(hasStackTrace(result.stdout + result.stderr), result.stderr).toBe(false);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { ok: boolean; code: string; message: string; fix: string[] };
    expect(json).toMatchObject({ ok: false, code });
    expect(json.message).toMatch(message);
    expect(json.message).not.toContain('\n');
    expect(json.fix.length).toBeGreaterThan(0);
  });

  it('a server cannot draw on the terminal: escape sequences and line breaks in its words are neutralised (text output)', async () => {
    const p = await project();
    const server = await localServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'ip restricted\u001b[2J\n\u001b[32m✓ Authentication successful!\u001b[0m' }));
    });
    closers.push(server.close);
    const result = await runBinary(['test', '--timeout', '3'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: `${server.url}/services/oauth2/token`, SF_INSTANCE_URL: server.url } });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain('\u001b');
    expect(result.stdout + result.stderr).not.toMatch(/^\s*✓ Authentication successful/m);
    expect(result.stderr).toMatch(/\[ip_restricted\]/);
  });

  it('a token answer naming an instance that is not an https origin: refused before the token is used', async () => {
    const p = await project();
    // ftp:// keeps even a regressed client on this machine: nothing can resolve or connect.
    const server = await localServer((req, res) => res.end(JSON.stringify({ access_token: '00Dx!AQ4AQsecretsecretsecret', instance_url: 'ftp://127.0.0.1:9/', id: 'x', token_type: 'Bearer' })));
    closers.push(server.close);
    const result = await runBinary(['test', '--json', '--timeout', '3'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: `${server.url}/services/oauth2/token`, SF_INSTANCE_URL: server.url } });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { code: string; message: string };
    expect(json.code).toBe('unexpected_response');
    expect(json.message).toMatch(/instance_url that is not an https:\/\/ origin \("ftp:\/\/127\.0\.0\.1:9\/"\); the token was not used/);
    expect(result.stdout + result.stderr).not.toContain('secretsecret');
  });

  it('a redirect to another host is not followed: the other host never sees the assertion', async () => {
    const p = await project();
    let stolen = 0;
    const elsewhere = await localServer((req, res) => {
      stolen++;
      res.end();
    });
    closers.push(elsewhere.close);
    const redirector = await localServer((req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/services/oauth2/token` });
      res.end();
    });
    closers.push(redirector.close);
    const result = await runBinary(['test', '--json', '--timeout', '3'], { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: `${redirector.url}/services/oauth2/token` } });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 'unexpected_response' });
    expect((JSON.parse(result.stdout) as { message: string }).message).toMatch(/redirecting to http:\/\/127\.0\.0\.1:\d+; not followed/);
    expect(stolen).toBe(0);
  });
});

describe('interrupted while waiting on the org, with --json: stdout still holds one JSON object (README)', () => {
  /** Run the real binary against an org that takes the request and never answers; send `signal` once it has it. */
  async function interrupted(args: string[], signal: NodeJS.Signals) {
    const p = await project();
    let asked = 0;
    const silent = await localServer(() => void asked++);
    closers.push(() => silent.close());
    const env = cleanEnv({ ...p.env, SF_INSTANCE_URL: silent.url, SF_TOKEN_URL: `${silent.url}/services/oauth2/token` });
    const child = spawn(process.execPath, [BIN, ...args], { cwd: p.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const waitUntil = Date.now() + 10_000;
    while (asked === 0 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
    expect(asked, 'the org got a request').toBeGreaterThan(0);
    child.kill(signal);
    return { code: await closed, stdout, stderr };
  }

  it.each([
    [['test', '--json'], 'SIGINT', 130],
    [['doctor', '--json'], 'SIGTERM', 143],
  ] as const)('%j, %s: {"ok": false, "code": "interrupted"} and exit %i', async (args, signal, code) => {
    const result = await interrupted([...args], signal);
    expect(result.code, result.stderr).toBe(code);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const json = JSON.parse(result.stdout) as { ok: boolean; code: string; message: string; fix: string[] };
    expect(json).toMatchObject({ ok: false, code: 'interrupted' });
    expect(json.message).toContain(signal);
    expect(json.fix.length).toBeGreaterThan(0);
  });
});
