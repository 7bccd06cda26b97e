import http from 'node:http';
import { inspect } from 'node:util';
import { generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { clockOffsetSeconds } from '../src/doctor/network-checks.js';
import { httpRequest, MAX_RESPONSE_BYTES, NetworkError, proxyFor, requestTimings } from '../src/salesforce/http.js';
import { assertionClaims, createAssertion } from '../src/salesforce/jwt.js';
import { requestToken, SalesforceError, safeExcerpt, parseIdentityUrl } from '../src/salesforce/token.js';
import { Secret } from '../src/salesforce/secret.js';
import { closedPort, connectProxy, hugeAnswer, localServer } from './helpers/servers.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const env = {} as NodeJS.ProcessEnv;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
async function serve(handler: http.RequestListener) {
  const s = await localServer(handler);
  closers.push(s.close);
  return s;
}
const tokenInput = (tokenUrl: string) => ({ tokenUrl, clientId: '3MVG9test', username: 'u@example.com', audience: 'https://login.salesforce.com', privateKey });

describe('JWT assertion', () => {
  it('is RS256, base64url, with iss/sub/aud/exp = now + 180 s in seconds, and verifies with the public key', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const jwt = createAssertion({ clientId: 'cid', username: 'u@example.com', audience: 'https://test.salesforce.com', privateKey, now }).reveal();
    const [header, payload, signature] = jwt.split('.');
    for (const part of [header, payload, signature]) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({ iss: 'cid', sub: 'u@example.com', aud: 'https://test.salesforce.com', exp: now / 1000 + 180 });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(assertionClaims({ clientId: 'a', username: 'b', audience: 'c', now: 1_000_500 }).exp).toBe(1000 + 180);
  });

  it('never prints itself', () => {
    const secret = new Secret('eyJhbGciOiJSUzI1NiJ9.payload.signature-that-is-long');
    expect(String(secret)).not.toContain('payload');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect({ secret })).not.toContain('payload');
  });
});

describe('httpRequest faults (local servers only)', () => {
  it('a refused connection is network_unreachable', async () => {
    const port = await closedPort();
    await expect(httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/x` }, { timeoutMs: 2000, env })).rejects.toMatchObject({ code: 'network_unreachable' });
  });

  it('a DNS failure is dns_failure', async () => {
    const lookup = ((hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException) => void) => {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      process.nextTick(() => callback(error));
    }) as never;
    const failure = await httpRequest({ method: 'GET', url: 'http://login.salesforce.invalid/services/oauth2/token' }, { timeoutMs: 2000, env, lookup }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NetworkError);
    expect(failure).toMatchObject({ code: 'dns_failure' });
    expect((failure as Error).message).toContain('login.salesforce.invalid');
  });

  it('a server that never answers ends in timeout, within the limit plus a second', async () => {
    const { url } = await serve(() => undefined);
    const started = Date.now();
    await expect(httpRequest({ method: 'GET', url }, { timeoutMs: 500, env })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("a run's deadline cuts a request short and says so; past it, no request is sent", async () => {
    let received = 0;
    const { url } = await serve(() => {
      received++;
    });
    const settings = { timeoutMs: 10_000, env, deadline: { atMs: performance.now() + 400, limitMs: 30_000 } };
    const cut = (await httpRequest({ method: 'GET', url }, settings).catch((e: unknown) => e)) as NetworkError;
    expect(cut).toBeInstanceOf(NetworkError);
    expect(cut.code).toBe('timeout');
    expect(cut.message).toMatch(/did not answer within 0\.\d s \(the run's time limit of 30 s ran out\)$/);
    expect(received).toBe(1);
    const late = (await httpRequest({ method: 'GET', url }, settings).catch((e: unknown) => e)) as NetworkError;
    expect(late.code).toBe('timeout');
    expect(late.message).toMatch(/^the run's time limit of 30 s ran out before the request to 127\.0\.0\.1:\d+ could be sent$/);
    expect(received).toBe(1);
    // Without a deadline the wording is the request's own.
    const own = (await httpRequest({ method: 'GET', url }, { timeoutMs: 300, env }).catch((e: unknown) => e)) as NetworkError;
    expect(own.message).toMatch(/did not answer within 0\.3 s$/);
  });

  it('a connection dropped mid-answer is network_unreachable', async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"access_tok');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await expect(httpRequest({ method: 'GET', url }, { timeoutMs: 2000, env })).rejects.toBeInstanceOf(NetworkError);
  });

  it('refuses an answer beyond the size limit', async () => {
    const { url } = await serve(hugeAnswer(10));
    const failure = await httpRequest({ method: 'GET', url }, { timeoutMs: 5000, env }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'unexpected_response' });
    expect((failure as Error).message).toContain(`${MAX_RESPONSE_BYTES / 1024} KB`);
  });

  it('goes through the proxy named by HTTP_PROXY, and honours NO_PROXY', async () => {
    const target = await serve((req, res) => res.end('{"ok":true}'));
    const proxy = await connectProxy();
    closers.push(proxy.close);
    const response = await httpRequest({ method: 'GET', url: `${target.url}/services/data/` }, { timeoutMs: 2000, env: { HTTP_PROXY: proxy.url } });
    expect(response.body).toBe('{"ok":true}');
    expect(response.proxy).toBe(proxy.url);
    expect(proxy.tunnels).toEqual([new URL(target.url).host]);
    await httpRequest({ method: 'GET', url: target.url }, { timeoutMs: 2000, env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    expect(proxy.tunnels).toHaveLength(1);
  });

  it.each(['http', 'https'])('a proxy that takes the connection and never answers CONNECT: a timeout within --timeout (%s)', async (scheme) => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = (await import('node:net')).createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.resume(); // read (and ignore) the CONNECT request, so that the client's close is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    });
    const started = performance.now();
    const error = await httpRequest(
      { method: 'GET', url: `${scheme}://127.0.0.1:${await closedPort()}/services/data/` },
      { timeoutMs: 1000, env: { HTTP_PROXY: `http://127.0.0.1:${port}`, HTTPS_PROXY: `http://127.0.0.1:${port}` } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'timeout' });
    expect((error as Error).message).toMatch(/proxy/);
    expect(sockets.size).toBe(1);
    expect(performance.now() - started).toBeLessThan(3000);
    // The CONNECT request is ended too: a socket left open would keep the process from exiting.
    const [socket] = sockets;
    const closed = socket.destroyed || (await Promise.race([new Promise((r) => socket.once('close', () => r(true))), new Promise((r) => setTimeout(() => r(false), 1000))]));
    expect(closed).toBe(true);
  });

  it.each([
    ['407 Proxy Authentication Required', 'alice:s3cret-pw@', /refused the user name and password in the proxy URL \(407/],
    ['407 Proxy Authentication Required', '', /asks for a user name and password \(407/],
    ['403 Forbidden', 'alice:s3cret-pw@', /refused to open a tunnel to .* \(HTTP 403\)/],
  ])('a proxy answering CONNECT with %s: proxy_refused, its credentials never shown', async (status, login, words) => {
    const refusing = http.createServer();
    refusing.on('connect', (_req, socket: import('node:net').Socket) => socket.end(`HTTP/1.1 ${status}\r\nProxy-Authenticate: Basic realm="corp"\r\ncontent-length: 0\r\n\r\n`));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((r) => refusing.close(() => r())));
    const port = (refusing.address() as import('node:net').AddressInfo).port;
    const error = await httpRequest(
      { method: 'GET', url: 'https://login.salesforce.com/services/data/' },
      { timeoutMs: 2000, env: { HTTPS_PROXY: `http://${login}127.0.0.1:${port}` } },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'proxy_refused' });
    expect((error as Error).message).toMatch(words);
    expect((error as Error).message).not.toMatch(/s3cret-pw/);
  });

  it('a limit under a tenth of a second is said in milliseconds, not "0 s"', async () => {
    const silent = await serve(() => undefined);
    const error = await httpRequest({ method: 'GET', url: silent.url }, { timeoutMs: 50, env }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect((error as Error).message).toMatch(/within 50 ms/);
  });

  it('timings: every phase shown is within the total; one measured on an earlier connection is left out', () => {
    expect(requestTimings({ dns: 0, tcp: 48, firstByte: 5 }, 12)).toEqual({ dnsMs: 0, connectMs: undefined, tlsMs: undefined, firstByteMs: 5, totalMs: 12 });
    expect(requestTimings({ dns: 1, tcp: 2, tls: 3, firstByte: 4 }, 20)).toEqual({ dnsMs: 1, connectMs: 2, tlsMs: 3, firstByteMs: 4, totalMs: 20 });
  });

  it('proxyFor reads either case and NO_PROXY suffixes', () => {
    const u = new URL('https://acme.my.salesforce.com/services/oauth2/token');
    expect(proxyFor(u, { https_proxy: 'http://p:8080' })).toBe('http://p:8080');
    expect(proxyFor(u, { HTTPS_PROXY: 'http://p:8080', NO_PROXY: '.salesforce.com' })).toBeUndefined();
    expect(proxyFor(u, { HTTPS_PROXY: 'http://p:8080', no_proxy: 'example.com, *' })).toBeUndefined();
    expect(proxyFor(u, { HTTPS_PROXY: 'http://p:8080', NO_PROXY: 'salesforce.com:80' })).toBe('http://p:8080');
    expect(proxyFor(u, { HTTP_PROXY: 'http://p:8080' })).toBeUndefined();
  });

  it('proxyFor: NO_PROXY IP ranges (CIDR), a proxy without a scheme, and one that is not a URL', () => {
    const ip = new URL('https://10.1.2.3:8443/services/oauth2/token');
    expect(proxyFor(ip, { HTTPS_PROXY: 'http://p:8080', NO_PROXY: '127.0.0.0/8, 10.0.0.0/8' })).toBeUndefined();
    expect(proxyFor(ip, { HTTPS_PROXY: 'http://p:8080', NO_PROXY: '10.2.0.0/16' })).toBe('http://p:8080');
    expect(proxyFor(new URL('https://[::1]:8443/'), { HTTPS_PROXY: 'http://p:8080', NO_PROXY: '::1/128' })).toBeUndefined();
    expect(proxyFor(new URL('https://acme.my.salesforce.com/'), { HTTPS_PROXY: 'http://p:8080', NO_PROXY: '10.0.0.0/8' })).toBe('http://p:8080');
    expect(proxyFor(ip, { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(() => proxyFor(ip, { HTTPS_PROXY: 'http://user:secret@' })).toThrow(/^HTTPS_PROXY is not a proxy URL: "…@"$/);
    expect(() => proxyFor(ip, { https_proxy: 'ftp://p:21' })).toThrow(/^https_proxy is not a proxy URL/);
    // A SOCKS proxy is a URL, just one sf-setup does not speak: said so, without the login.
    for (const socks of ['socks5://user:pw@gate.corp:1080', 'SOCKS5H://gate.corp:1080', 'socks://gate.corp']) {
      expect(() => proxyFor(ip, { HTTPS_PROXY: socks }), socks).toThrow(/^HTTPS_PROXY names a SOCKS proxy \("(…@|socks5?h?:\/\/)gate\.corp(:1080)?"\); sf-setup speaks to HTTP proxies only$/i);
    }
    // A login never shows, whatever the shape: a scheme-like user, an @ inside the password.
    for (const bad of ['user:s3cret@bad host:8080', 'http://user:p@ss@proxy host']) {
      expect(() => proxyFor(ip, { HTTPS_PROXY: bad })).toThrow(/"…@/);
      try {
        proxyFor(ip, { HTTPS_PROXY: bad });
      } catch (error) {
        expect(String(error)).not.toMatch(/s3cret|p@ss|user/);
      }
    }
  });

  it('proxyFor: a password with an unencoded "/", "?" or "#" is refused, without showing it (it read as the host, and was printed) (security review)', () => {
    const u = new URL('https://acme.my.salesforce.com/');
    for (const bad of ['http://bob:2024/WinterPw@127.0.0.1:4799', 'http://bob:123#WinterPw@127.0.0.1:4799', 'bob:4799?WinterPw@proxy.corp:3128']) {
      let message = '';
      try {
        proxyFor(u, { HTTPS_PROXY: bad });
      } catch (error) {
        message = `${String(error)} ${(error as { fix?: string }).fix ?? ''}`;
      }
      expect(message, bad).toMatch(/^UserError: HTTPS_PROXY has a password with "\/", "\?" or "#" in it/);
      expect(message, bad).toMatch(/percent-encode/);
      expect(message, bad).toMatch(/…@(127\.0\.0\.1:4799|proxy\.corp:3128)/);
      expect(message, bad).not.toMatch(/WinterPw|bob/);
    }
    // Encoded, it is fine; so is a path after the host.
    expect(proxyFor(u, { HTTPS_PROXY: 'http://bob:2024%2FWinterPw@127.0.0.1:4799' })).toBe('http://bob:2024%2FWinterPw@127.0.0.1:4799');
    expect(proxyFor(u, { HTTPS_PROXY: 'http://proxy.corp:3128/' })).toBe('http://proxy.corp:3128/');
  });
});

describe('the clock offset one request can tell', () => {
  // The host stamps its Date (whole seconds) somewhere between the request's start and end.
  it.each([
    ['a slow answer is no offset', 1_000_000_000, 1_000_000_000 - 100, 1_000_000_000 + 5000, 0],
    ['a host 200 s ahead', 1_000_200_000, 1_000_000_000, 1_000_000_300, 200],
    ['a host 200 s behind', 999_800_000, 1_000_000_000, 1_000_000_300, -199],
    ['within the second the header drops', 1_000_000_000, 1_000_000_400, 1_000_000_500, 0],
  ])('%s', (_, date, started, finished, expected) => {
    expect(clockOffsetSeconds(date, started, finished)).toBe(expected);
  });
});

describe('requestToken answers', () => {
  it('does not follow a redirect with the assertion', async () => {
    let followed = false;
    const elsewhere = await serve(() => {
      followed = true;
    });
    const { url } = await serve((req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/steal` });
      res.end();
    });
    const failure = await requestToken(tokenInput(`${url}/services/oauth2/token`), { timeoutMs: 2000, env }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SalesforceError);
    expect(failure).toMatchObject({ code: 'unexpected_response' });
    expect((failure as Error).message).toMatch(/not followed/);
    expect(followed).toBe(false);
  });

  it('an HTML 200 is unexpected_response with a short, safe excerpt', async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><head><style>x{}</style></head><body><h1>Login</h1><p>Please log in eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl</p></body></html>`);
    });
    const failure = (await requestToken(tokenInput(`${url}/t`), { timeoutMs: 2000, env }).catch((e: unknown) => e)) as SalesforceError;
    expect(failure.code).toBe('unexpected_response');
    expect(failure.message).toMatch(/HTML page/);
    expect(failure.excerpt).toBe('Login Please log in [redacted]');
  });

  it('JSON of the wrong shape is unexpected_response', async () => {
    const { url } = await serve((req, res) => res.end('{"hello":"world"}'));
    await expect(requestToken(tokenInput(`${url}/t`), { timeoutMs: 2000, env })).rejects.toMatchObject({ code: 'unexpected_response' });
    const arr = await serve((req, res) => res.end('[1,2]'));
    await expect(requestToken(tokenInput(`${arr.url}/t`), { timeoutMs: 2000, env })).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('a Salesforce error body is classified, with its words kept', async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_grant","error_description":"ip restricted"}');
    });
    const failure = (await requestToken(tokenInput(`${url}/t`), { timeoutMs: 2000, env }).catch((e: unknown) => e)) as SalesforceError;
    expect(failure.code).toBe('ip_restricted');
    expect(failure.exitCode).toBe(1);
    expect(failure.classification.errorDescription).toBe('ip restricted');
  });

  it('helpers: identity URL and excerpts', () => {
    expect(parseIdentityUrl('https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA')).toEqual({ orgId: '00D000000000001AAA', userId: '005000000000001AAA' });
    expect(parseIdentityUrl('nonsense')).toEqual({});
    expect(safeExcerpt('x'.repeat(500)).length).toBeLessThanOrEqual(160);
  });
});
