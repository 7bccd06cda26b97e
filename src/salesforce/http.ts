import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { UserError, EXIT } from '../errors.js';
import { printable } from '../output/printable.js';
import { entryFor, entryForWords } from '../diagnostics/knowledge-base.js';

/** Answers larger than this are refused: a token answer is under 2 KB, a version list under 10 KB. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface HttpSettings {
  /** Bound on the whole request (connect, send, answer), in milliseconds. */
  timeoutMs: number;
  /**
   * Bound on opening the connection (TCP, then TLS), in milliseconds; at most timeoutMs. Default: the smaller
   * of timeoutMs and CONNECT_TIMEOUT_MS, so a host that drops packets is named as unreachable early.
   */
  connectTimeoutMs?: number;
  env: NodeJS.ProcessEnv;
  /**
   * When a whole run of requests must end (performance.now() time) and how long that run was given: a
   * request waits at most until then, and one asked for later is not sent.
   */
  deadline?: { atMs: number; limitMs: number };
  /** DNS lookup override (tests simulate DNS failures without asking a real resolver). */
  lookup?: typeof import('node:dns').lookup;
}

/** A TCP or TLS handshake that takes longer than this is not coming: Salesforce answers one in well under 1 s. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface HttpTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  totalMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  timings: HttpTimings;
  /** The proxy the request went through, if any (never with credentials). */
  proxy?: string;
}

/** A network-level failure, already mapped to a knowledge-base code. Exit code 1: the test failed. */
export class NetworkError extends UserError {
  constructor(code: string, message: string, readonly url: string, readonly causeCode?: string) {
    super(code, message, { exitCode: EXIT.failed, fix: entryForWords(entryFor(code), message).fix[0] });
    this.name = 'NetworkError';
  }
}

/**
 * The proxy to use for a URL per HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), or undefined. A proxy
 * without a scheme (`proxy.example.com:8080`, common on CI runners) is taken as http://, as curl does; one
 * that is still not a URL is a UserError naming the variable. NO_PROXY takes host names, `.domain` suffixes,
 * `host:port`, `*`, IP addresses and IP ranges in CIDR form (`10.0.0.0/8`).
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): string | undefined {
  const https = target.protocol === 'https:';
  const names = https ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy'];
  const name = names.find((n) => env[n]);
  if (!name) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean);
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (https ? '443' : '80');
  for (const rawEntry of noProxy) {
    if (rawEntry === '*') return undefined;
    if (inRange(host, rawEntry)) return undefined;
    const [entryHost, entryPort] = rawEntry.toLowerCase().replace(/^\*?\./, '.').split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) continue;
    if (host === entryHost.replace(/^\./, '') || (entryHost.startsWith('.') && host.endsWith(entryHost))) return undefined;
  }
  return proxyUrl(env[name]!.trim(), name);
}

/** The proxy variable's value as a URL (http:// when it names none), or a UserError naming the variable. */
function proxyUrl(value: string, name: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  // An @ after the first "/", "?" or "#": a password holding one of them unencoded. A URL parser takes the
  // password for the host (and its rest for a path), and the value would be printed as the proxy's address.
  const authority = withScheme.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const end = authority.search(/[/?#]/);
  if (end >= 0 && authority.indexOf('@', end) > end) {
    throw new UserError('config_invalid', `${name} has a password with "/", "?" or "#" in it, not encoded ("${printable(value.replace(/^.*@/s, '…@'), 80)}")`, {
      fix: `percent-encode them in ${name}'s password: / as %2F, ? as %3F, # as %23 (http://user:pa%2Fss@proxy.example.com:8080)`,
    });
  }
  let scheme: string | undefined;
  try {
    const url = new URL(withScheme);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) return withScheme;
    scheme = url.protocol;
  } catch {
    // not a URL: said below
  }
  // Shown without any login: everything up to the last @ goes (a password may hold an @ or a colon).
  const shown = printable(value.replace(/^.*@/s, '…@'), 80);
  if (scheme && /^socks/i.test(scheme)) {
    throw new UserError('config_invalid', `${name} names a SOCKS proxy ("${shown}"); sf-setup speaks to HTTP proxies only`, {
      fix: `set ${name} to your network's HTTP proxy (http://proxy.example.com:8080), or unset it if this machine reaches Salesforce directly`,
    });
  }
  throw new UserError('config_invalid', `${name} is not a proxy URL: "${shown}"`, {
    fix: `set ${name} like http://proxy.example.com:8080 (http://user:password@proxy.example.com:8080 if it asks for a login), or unset it`,
  });
}

/** Is `host` (an IP address) inside `entry`, a CIDR range such as 10.0.0.0/8? */
function inRange(host: string, entry: string): boolean {
  const cidr = /^([\d.]+|[\da-f:]+)\/(\d{1,3})$/i.exec(entry);
  const family = isIP(host);
  if (!cidr || !family || isIP(cidr[1]) !== family) return false;
  const list = new BlockList();
  try {
    list.addSubnet(cidr[1], Number(cidr[2]), family === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false; // a prefix too long for the family
  }
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** A proxy URL without its user name and password, safe to show. */
export function redactProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    // Not a URL: whatever comes before the last @ may be a login.
    return printable(proxy.replace(/^.*@/s, '…@'), 80);
  }
}

/**
 * One HTTP request with every guard the token test needs: a total timeout, no retries (a 4xx is an answer,
 * not a glitch), redirects NOT followed (following would hand the assertion to another host), a size limit,
 * proxies from the environment. Network failures become NetworkError with a knowledge-base code.
 */
export async function httpRequest(request: HttpRequest, settings: HttpSettings): Promise<HttpResponse> {
  // got is loaded on first use so commands that make no request (explain, keygen) start faster.
  const { default: got, RequestError, TimeoutError, CancelError } = await import('got');
  const target = new URL(request.url);
  const proxy = proxyFor(target, settings.env);
  let agent: { http?: HttpAgent; https?: HttpsAgent } | undefined;
  /** Through a proxy: whether its tunnel (CONNECT) is open yet. */
  let tunnel: 'waiting' | 'open' | undefined;
  const connectAbort = new AbortController();
  if (proxy) {
    const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
    // hpagent's CONNECT request has no time limit of its own and got's timers do not reach it, so a proxy
    // that takes the connection and never answers would hold the request (and the process) forever: note
    // when the tunnel opens; the guard below aborts the CONNECT request if it has not.
    // Passed on to http.request for the CONNECT request (hpagent's types list only some of its options).
    const proxyRequestOptions = { signal: connectAbort.signal } as { headers?: Record<string, string> };
    const proxyAgent = target.protocol === 'https:' ? new HttpsProxyAgent({ proxy, proxyRequestOptions }) : new HttpProxyAgent({ proxy, proxyRequestOptions });
    const connect = proxyAgent.createConnection.bind(proxyAgent) as ProxyConnect;
    (proxyAgent as unknown as { createConnection: ProxyConnect }).createConnection = (options, callback) =>
      connect(options, (error, socket) => {
        if (socket) tunnel = 'open';
        callback(error, socket);
      });
    tunnel = 'waiting';
    agent = target.protocol === 'https:' ? { https: proxyAgent as HttpsAgent } : { http: proxyAgent };
  }
  const started = performance.now();
  const left = settings.deadline ? Math.floor(settings.deadline.atMs - started) : Infinity;
  if (left <= 0) throw new NetworkError('timeout', `${deadlineText(settings)} ran out before the request to ${target.host} could be sent`, request.url, 'ETIMEDOUT');
  const requestMs = Math.min(settings.timeoutMs, left);
  const connectMs = Math.min(requestMs, settings.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  const pending = got(target, {
    method: request.method,
    form: request.form,
    headers: { 'user-agent': 'sf-setup', accept: 'application/json', ...request.headers },
    timeout: { request: requestMs, lookup: connectMs, connect: connectMs, secureConnect: connectMs },
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    responseType: 'text',
    agent,
    dnsLookup: settings.lookup as never,
  });
  let tooLarge = false;
  let stalled: 'tunnel' | 'answer' | undefined;
  const guards = proxy
    ? [
        setTimeout(() => {
          if (tunnel !== 'waiting') return;
          stalled = 'tunnel';
          connectAbort.abort();
          pending.cancel();
        }, connectMs),
        // got's own timer should end the request first; this one is only a backstop.
        setTimeout(() => {
          stalled ??= 'answer';
          pending.cancel();
        }, requestMs + 250),
      ]
    : [];
  pending.on('downloadProgress', (progress) => {
    if (progress.transferred > MAX_RESPONSE_BYTES || (progress.total ?? 0) > MAX_RESPONSE_BYTES) {
      tooLarge = true;
      pending.cancel();
    }
  });
  try {
    const response = await pending;
    const phases = response.timings.phases;
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      timings: requestTimings(phases, Math.round(performance.now() - started)),
      proxy: proxy ? redactProxy(proxy) : undefined,
    };
  } catch (error) {
    const host = target.host;
    if (error instanceof CancelError && stalled === 'tunnel') {
      throw new NetworkError('timeout', `the proxy ${redactProxy(proxy!)} did not open a tunnel to ${host} within ${formatSeconds(connectMs)} (it did not answer, or could not be reached)`, request.url, 'ETIMEDOUT');
    }
    if (error instanceof CancelError && stalled === 'answer') {
      throw new NetworkError('timeout', `${host} did not answer within ${formatSeconds(requestMs)} (through proxy ${redactProxy(proxy!)})`, request.url, 'ETIMEDOUT');
    }
    if (error instanceof CancelError && tooLarge) {
      throw new NetworkError('unexpected_response', `${host} sent an answer larger than ${MAX_RESPONSE_BYTES / 1024} KB; refused`, request.url);
    }
    if (error instanceof TimeoutError) {
      if (error.event === 'connect' || error.event === 'secureConnect') {
        const what = error.event === 'connect' ? 'a connection' : 'a TLS session';
        const why = requestMs < settings.timeoutMs && connectMs === requestMs ? `${deadlineText(settings)} ran out` : 'nothing answered: a firewall or a wrong address drops the packets';
        throw new NetworkError('timeout', `could not open ${what} to ${host} within ${formatSeconds(connectMs)} (${why})`, request.url, 'ETIMEDOUT');
      }
      const cut = requestMs < settings.timeoutMs ? ` (${deadlineText(settings)} ran out)` : '';
      throw new NetworkError('timeout', `${host} did not answer within ${formatSeconds(requestMs)}${cut}`, request.url, 'ETIMEDOUT');
    }
    if (error instanceof RequestError) {
      throw networkErrorFor(error.code, error.message, host, request.url, proxy);
    }
    throw error;
  } finally {
    for (const guard of guards) clearTimeout(guard);
  }
}

/**
 * The phases of one request, each within its total. A phase longer than the whole request was measured on a
 * connection opened earlier (a reused socket, a proxy tunnel), not on this request: it is left out rather than
 * shown as "connect 48 ms, total 12 ms".
 */
export function requestTimings(phases: { dns?: number; tcp?: number; tls?: number; firstByte?: number }, totalMs: number): HttpTimings {
  const within = (ms: number | undefined) => (ms !== undefined && ms <= totalMs ? ms : undefined);
  return { dnsMs: within(phases.dns), connectMs: within(phases.tcp), tlsMs: within(phases.tls), firstByteMs: within(phases.firstByte), totalMs };
}

type ProxyConnect = (options: object, callback: (error: Error | null, socket: unknown) => void) => void;

function deadlineText(settings: HttpSettings): string {
  return `the run's time limit of ${formatSeconds(settings.deadline?.limitMs ?? settings.timeoutMs)}`;
}

function formatSeconds(ms: number): string {
  // Under a tenth of a second (--timeout 0.001) in milliseconds, not "0 s".
  return ms < 100 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const PROXY_CONNECT_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

function networkErrorFor(code: string, message: string, host: string, url: string, proxy: string | undefined): NetworkError {
  const via = proxy ? ` (through proxy ${redactProxy(proxy)})` : '';
  // Through a proxy, this machine only ever connects to the proxy (which looks up and connects to the host
  // itself): a lookup or a connection that fails here is the proxy's.
  // hpagent's words when the proxy answers CONNECT with anything but 200.
  const refused = proxy ? /Bad response: (\d{3})/.exec(message)?.[1] : undefined;
  if (refused === '407') {
    // With credentials in the proxy URL, they were refused; without, the proxy wants some.
    const asked = /\/\/[^/@]+@/.test(proxy!) ? 'refused the user name and password in the proxy URL' : 'asks for a user name and password';
    return new NetworkError('proxy_refused', `the proxy ${redactProxy(proxy!)} ${asked} (407 Proxy Authentication Required), so the request to ${host} was not sent`, url, code);
  }
  if (refused) {
    return new NetworkError('proxy_refused', `the proxy ${redactProxy(proxy!)} refused to open a tunnel to ${host} (HTTP ${refused})`, url, code);
  }
  if (proxy && PROXY_CONNECT_CODES.has(code)) {
    const kb = code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' ? 'dns_failure' : 'network_unreachable';
    return new NetworkError(kb, `the proxy ${redactProxy(proxy)} could not be reached (${code}), so the request to ${host} was not sent`, url, code);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') {
    return new NetworkError('dns_failure', `the host name ${host.replace(/:\d+$/, '')} does not resolve (${code})${via}`, url, code);
  }
  if (TLS_CODES.has(code)) {
    return new NetworkError(
      'tls_untrusted',
      `the TLS certificate of ${host} is not trusted (${code}); a proxy re-signing HTTPS traffic is the usual cause${via}`,
      url,
      code,
    );
  }
  if (code === 'ETIMEDOUT') {
    return new NetworkError('timeout', `${host} did not answer in time${via}`, url, code);
  }
  if (code === 'ECONNREFUSED') return new NetworkError('network_unreachable', `${host} refused the connection${via}`, url, code);
  if (code === 'ECONNRESET' || /socket hang up/i.test(message)) {
    return new NetworkError('network_unreachable', `${host} closed the connection without answering${via}`, url, code);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new NetworkError('network_unreachable', `no route to ${host} (${code})${via}`, url, code);
  }
  return new NetworkError('network_unreachable', `the request to ${host} failed: ${code || message}${via}`, url, code);
}
