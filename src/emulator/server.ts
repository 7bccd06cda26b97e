import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { normalizeAddress } from './access.js';
import { BODY_LIMIT, readBody } from './body.js';
import { DEFAULT_CLIENT_ID, DEFAULT_USERNAME } from './ids.js';
import { assertCertificate } from './jwt-verify.js';
import { HTML_TYPE, MAINTENANCE_PAGE, SERVER_ERROR_PAGE, restError, type Reply } from './reply.js';
import { restEndpoint } from './rest.js';
import { SCENARIOS, applyPreset } from './scenarios.js';
import { healthyState, orgNow } from './state.js';
import { tokenEndpoint } from './token-endpoint.js';
import type { TokenStore } from './tokens.js';
import type { EmulatedOrg, EmulatorOptions, FaultKind, LoggedRequest, OrgState, ScenarioName } from './types.js';

const FAULTS: readonly FaultKind[] = ['none', 'maintenance', 'server_error', 'slow', 'drop', 'form_dropped'];

function checkScenario(name: string): asserts name is ScenarioName {
  if (!Object.hasOwn(SCENARIOS, name)) throw new TypeError(`unknown scenario "${name}"; one of: ${Object.keys(SCENARIOS).join(', ')}`);
}

function orgDate(state: OrgState): string {
  // Every answer is dated by the ORG's clock, so a client can measure skew (clock_ahead).
  const date = new Date(orgNow(state));
  return Number.isNaN(date.getTime()) ? new Date().toUTCString() : date.toUTCString();
}

/** Splits '/path?query' without URL(), which would read '//host/…' as another host. */
function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const at = target.indexOf('?');
  return at < 0 ? { path: target, query: new URLSearchParams() } : { path: target.slice(0, at), query: new URLSearchParams(target.slice(at + 1)) };
}

/**
 * Start an emulated Salesforce org on 127.0.0.1: the OAuth token endpoint of the JWT Bearer Flow plus the
 * few REST resources a token test reads. See EmulatedOrg for the handle.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatedOrg> {
  let uploaded = [...(options.certificates ?? [])];
  uploaded.forEach(assertCertificate);
  const scenario = options.scenario ?? 'ok';
  checkScenario(scenario);

  const server = http.createServer();
  const sockets = new Set<Socket>();
  const waits = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Garbage that is not HTTP at all: answer 400 if possible, never crash.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const state = healthyState({ ...options, certificates: uploaded }, url);
  applyPreset(state, scenario);
  const tokens: TokenStore = new Map();
  const requests: LoggedRequest[] = [];
  const signingSecret = randomBytes(32).toString('hex');

  /** A delay that close() cuts short (the 'slow' fault must not keep close() waiting). */
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waits.delete(timer);
        resolve();
      }, ms);
      waits.set(timer, resolve);
    });

  const route = (req: http.IncomingMessage, target: { path: string; query: URLSearchParams }, body: string): Reply => {
    if (target.path === '/services/oauth2/token') {
      const remoteAddress = normalizeAddress(req.socket.remoteAddress);
      // form_dropped: the request reaches the endpoint as a followed redirect does, a GET without the form.
      const request =
        state.fault === 'form_dropped'
          ? { method: 'GET', contentType: undefined, body: '', remoteAddress }
          : { method: req.method ?? 'GET', contentType: req.headers['content-type'], body, remoteAddress };
      return tokenEndpoint(request, { state, tokens, signingSecret });
    }
    return restEndpoint({ method: req.method ?? 'GET', path: target.path, query: target.query, authorization: req.headers.authorization }, state, tokens);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const target = splitTarget(req.url ?? '/');
    const record = (status: number, log: Reply['log'] = {}) =>
      requests.push({ method: req.method ?? '', path: target.path, status, time: Date.now(), remoteAddress: normalizeAddress(req.socket.remoteAddress), ...log });
    const send = (reply: Reply, headers: Record<string, string> = {}) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(reply.status, {
        'Content-Type': reply.contentType,
        Date: orgDate(state),
        'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private',
        ...headers,
      });
      res.end(reply.body);
      record(reply.status, reply.log);
    };
    try {
      const body = await readBody(req);
      if (!body || closed) return;
      if (state.fault === 'drop') {
        record(0, { error: 'dropped' });
        req.socket.destroy();
        return;
      }
      if (state.fault === 'slow') {
        await wait(state.slowMs);
        if (closed || res.destroyed) return;
      }
      if (state.fault === 'maintenance') send({ status: 503, contentType: HTML_TYPE, body: MAINTENANCE_PAGE, log: { error: 'maintenance' } });
      else if (state.fault === 'server_error') send({ status: 500, contentType: HTML_TYPE, body: SERVER_ERROR_PAGE, log: { error: 'server_error' } });
      else if (body.tooLarge) send(restError(413, 'REQUEST_ENTITY_TOO_LARGE', `request body larger than ${BODY_LIMIT} bytes`), { Connection: 'close' });
      else send(route(req, target, body.text));
    } catch (error) {
      // A bug in the emulator must not take the test run down: report it as a 500 the test can see.
      send(restError(500, 'UNKNOWN_EXCEPTION', `emulator bug: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  // Last line of defence: even a failure while answering a failure must not become an unhandled rejection.
  server.on('request', (req, res) => handle(req, res).catch(() => res.destroy()));

  let closing: Promise<void> | undefined;
  return {
    url,
    tokenUrl: `${url}/services/oauth2/token`,
    audience: url,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    username: options.username ?? DEFAULT_USERNAME,
    state,
    requests,
    uploadCertificate(pem, uploadOptions = {}) {
      assertCertificate(pem);
      uploaded = uploadOptions.replace === false ? [...uploaded, pem] : [pem];
      state.apps[0].certificates = [...uploaded];
    },
    applyScenario(name) {
      checkScenario(name);
      // In place, so holders of `org.state` see the change.
      Object.assign(state, healthyState({ ...options, certificates: uploaded }, url));
      applyPreset(state, name);
    },
    fault(kind) {
      if (!FAULTS.includes(kind)) throw new TypeError(`unknown fault "${kind}"; one of: ${FAULTS.join(', ')}`);
      state.fault = kind;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const [timer, release] of waits) {
          clearTimeout(timer);
          release();
        }
        waits.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
