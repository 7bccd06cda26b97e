import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { UserError, EXIT } from '../errors.js';
import { entryFor } from '../diagnostics/knowledge-base.js';

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
    super(code, message, { exitCode: EXIT.failed, fix: entryFor(code).fix[0] });
    this.name = 'NetworkError';
  }
}

/** The proxy to use for a URL per HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), or undefined. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): string | undefined {
  const https = target.protocol === 'https:';
  const proxy = https
    ? env.HTTPS_PROXY || env.https_proxy
    : env.HTTP_PROXY || env.http_proxy;
  if (!proxy) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean);
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (https ? '443' : '80');
  for (const rawEntry of noProxy) {
    if (rawEntry === '*') return undefined;
    const [entryHost, entryPort] = rawEntry.toLowerCase().replace(/^\*?\./, '.').split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) continue;
    if (host === entryHost.replace(/^\./, '') || (entryHost.startsWith('.') && host.endsWith(entryHost))) return undefined;
  }
  return proxy;
}

/** A proxy URL without its user name and password, safe to show. */
export function redactProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable proxy URL)';
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
  if (proxy) {
    const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
    agent = target.protocol === 'https:' ? { https: new HttpsProxyAgent({ proxy }) } : { http: new HttpProxyAgent({ proxy }) };
  }
  const connectMs = Math.min(settings.timeoutMs, settings.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  const started = performance.now();
  const pending = got(target, {
    method: request.method,
    form: request.form,
    headers: { 'user-agent': 'sf-setup', accept: 'application/json', ...request.headers },
    timeout: { request: settings.timeoutMs, lookup: connectMs, connect: connectMs, secureConnect: connectMs },
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    responseType: 'text',
    agent,
    dnsLookup: settings.lookup as never,
  });
  let tooLarge = false;
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
      timings: {
        dnsMs: phases.dns,
        connectMs: phases.tcp,
        tlsMs: phases.tls,
        firstByteMs: phases.firstByte,
        totalMs: Math.round(performance.now() - started),
      },
      proxy: proxy ? redactProxy(proxy) : undefined,
    };
  } catch (error) {
    const host = target.host;
    if (error instanceof CancelError && tooLarge) {
      throw new NetworkError('unexpected_response', `${host} sent an answer larger than ${MAX_RESPONSE_BYTES / 1024} KB; refused`, request.url);
    }
    if (error instanceof TimeoutError) {
      if (error.event === 'connect' || error.event === 'secureConnect') {
        const what = error.event === 'connect' ? 'a connection' : 'a TLS session';
        throw new NetworkError('timeout', `could not open ${what} to ${host} within ${formatSeconds(connectMs)} (nothing answered: a firewall or a wrong address drops the packets)`, request.url, 'ETIMEDOUT');
      }
      throw new NetworkError('timeout', `${host} did not answer within ${formatSeconds(settings.timeoutMs)}`, request.url, 'ETIMEDOUT');
    }
    if (error instanceof RequestError) {
      throw networkErrorFor(error.code, error.message, host, request.url, proxy);
    }
    throw error;
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
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

function networkErrorFor(code: string, message: string, host: string, url: string, proxy: string | undefined): NetworkError {
  const via = proxy ? ` (through proxy ${redactProxy(proxy)})` : '';
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
