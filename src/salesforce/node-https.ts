/** `node:https` for the published bundle, loaded with require: see node-http.ts for why. */
import { createRequire } from 'node:module';

const https = createRequire(import.meta.url)('node:https') as typeof import('node:https');

export default https;
export const { Agent, Server, globalAgent, createServer, get, request } = https;
