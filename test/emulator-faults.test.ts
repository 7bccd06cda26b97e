import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT, JWT_BEARER_GRANT, startEmulator, type FaultKind, type OrgState } from '../src/emulator/index.js';
import { assertionFor, postToken, tokenFor, useEmulators } from './helpers/emulator.js';

const start = useEmulators();

/** Raw bytes over TCP: for input fetch refuses to send. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('faults on demand', () => {
  it('maintenance: HTML 503 on every route, dated by the org clock; none heals it', async () => {
    const org = await start();
    org.state.clockOffsetMs = 3_600_000;
    org.fault('maintenance');
    for (const path of ['/services/oauth2/token', '/services/data/']) {
      const response = await fetch(`${org.url}${path}`, { method: path.includes('token') ? 'POST' : 'GET' });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/html;charset=UTF-8');
      expect(Date.parse(response.headers.get('date') ?? '') - Date.now()).toBeGreaterThan(3_500_000);
      const text = await response.text();
      expect(text).toContain('Maintenance');
      expect(text).toContain('Data Not Available');
    }
    org.fault('none');
    org.state.clockOffsetMs = 0;
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('server_error: 500 that is not JSON', async () => {
    const org = await start();
    org.fault('server_error');
    const answer = await postToken(org, assertionFor(org));
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(/internal server error/i);
    expect(() => JSON.parse(answer.text)).toThrow();
  });

  it('drop: the socket closes without an answer, and the log says so', async () => {
    const org = await start();
    org.fault('drop');
    await expect(fetch(org.tokenUrl, { method: 'POST' })).rejects.toThrow();
    expect(org.requests.at(-1)).toMatchObject({ path: '/services/oauth2/token', status: 0, error: 'dropped' });
    org.fault('none');
    expect((await fetch(`${org.url}/services/data/`)).status).toBe(200);
  });

  it('slow: close() does not wait for the pending answer', async () => {
    const org = await startEmulator({ scenario: 'slow', slowMs: 30_000 });
    const pending = fetch(org.tokenUrl, { method: 'POST' }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await org.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('failed');
    expect(org.requests).toHaveLength(0);
  });

  it('fault("slow") uses slowMs from the options', async () => {
    const org = await start({ slowMs: 250 });
    org.fault('slow');
    const started = Date.now();
    expect((await fetch(`${org.url}/services/data/`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(230);
  });

  it('refuses an unknown fault', async () => {
    const org = await start();
    expect(() => org.fault('explode' as FaultKind)).toThrow(/unknown fault/);
  });
});

describe('guards', () => {
  it('a body over 64 KB -> 413, and the server keeps working', async () => {
    const org = await start();
    const big = `grant_type=${encodeURIComponent(JWT_BEARER_GRANT)}&assertion=${'a'.repeat(BODY_LIMIT + 10)}`;
    const response = await fetch(org.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big });
    expect(response.status).toBe(413);
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('garbage that is not HTTP gets a 400 and does not crash the server', async () => {
    const org = await start();
    expect(await rawRequest(org.url, '\x00\x01GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    // '//host/…' is a path here, not another host: no token -> 401.
    expect(await rawRequest(org.url, 'POST //evil.example/services/oauth2/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\n%%%')).toMatch(/^HTTP\/1\.1 401/);
    expect(org.requests.at(-1)?.path).toBe('//evil.example/services/oauth2/token');
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('odd form bodies are answered, not thrown', async () => {
    const org = await start();
    for (const body of ['%', '&&&', 'grant_type=%E0%A4%A', `grant_type=${encodeURIComponent(JWT_BEARER_GRANT)}&assertion=%00.%00.%00`]) {
      const answer = await postToken(org, '', { body });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatch(/^(unsupported_grant_type|invalid_grant)$/);
    }
  });

  it('a bug (here: state broken by hand) is a 500 JSON answer, and the server survives', async () => {
    const org = await start();
    const users = org.state.users;
    (org.state as unknown as { users: null }).users = null;
    const answer = await postToken(org, assertionFor(org));
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual([{ message: expect.stringContaining('emulator bug') as string, errorCode: 'UNKNOWN_EXCEPTION' }]);
    (org.state as OrgState).users = users;
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('binds 127.0.0.1 on the port asked for; a busy port rejects', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    await expect(startEmulator({ port })).rejects.toThrow(/EADDRINUSE/);
    await first.close();
    const again = await start({ port });
    expect(again.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('close() is prompt with a keep-alive connection open, and can be called twice', async () => {
    const org = await startEmulator();
    const socket = net.connect(Number(new URL(org.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /services/data/ HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    const started = Date.now();
    await Promise.all([org.close(), org.close()]);
    expect(Date.now() - started).toBeLessThan(1000);
    socket.destroy();
  });
});

describe('request log', () => {
  it('records method, path, status, address, error and claims, but never the assertion or the token', async () => {
    const org = await start();
    const assertion = assertionFor(org);
    const token = await tokenFor(org);
    await postToken(org, assertion);
    await postToken(org, assertionFor(org, { sub: 'nobody@example.com' }));
    await fetch(`${org.url}/id/${org.state.org.orgId}/${org.state.users[0].userId}?format=json&oauth_token=${encodeURIComponent(token)}`);
    await fetch(`${org.url}/services/data/v59.0/`, { headers: { authorization: `Bearer ${token}` } });

    expect(org.requests).toHaveLength(5);
    const [first, , failed, identity, rest] = org.requests;
    expect(first).toMatchObject({ method: 'POST', path: '/services/oauth2/token', status: 200, remoteAddress: '127.0.0.1' });
    expect(first.claims).toEqual({ iss: org.clientId, sub: org.username, aud: org.audience, exp: expect.any(Number) as number });
    expect(first.tokenPrefix).toHaveLength(8);
    expect(failed).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: "user hasn't approved this consumer" });
    expect(identity).toMatchObject({ path: `/id/${org.state.org.orgId}/${org.state.users[0].userId}`, status: 200 });
    expect(rest).toMatchObject({ path: '/services/data/v59.0/', status: 200, tokenPrefix: token.slice(0, 8) });
    expect(typeof rest.time).toBe('number');

    const dump = JSON.stringify(org.requests);
    expect(dump).not.toContain(assertion);
    expect(dump).not.toContain(assertion.split('.')[2]);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.split('!')[1].slice(0, 6));
    expect(dump).not.toContain('PRIVATE KEY');
    expect(dump).not.toContain('oauth_token');
  });
});
