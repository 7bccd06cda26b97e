/**
 * `node:http` for the published bundle (package.json's bundle:program aliases `http` and `node:http` here),
 * loaded with require rather than as an ES module. On Node.js 22 and later an ES module import of a built-in
 * reads every export it has, and `node:http`'s WebSocket, CloseEvent and MessageEvent getters load undici and
 * http2 (15-25 ms on every request-making command); require reads none of them. Node 20 has no such getters.
 */
import { createRequire } from 'node:module';

const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');

// A bundled CommonJS dependency that does require('http') (hpagent) sees the default and these names only:
// they cover what got, hpagent and the emulator use (Agent, request, STATUS_CODES, createServer…). Add a name
// here before using another.
export default http;
export const { Agent, ClientRequest, IncomingMessage, OutgoingMessage, Server, ServerResponse, STATUS_CODES, METHODS, globalAgent, createServer, get, request } = http;
