import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest, NetworkError } from '../src/salesforce/http.js';
import { localServer } from './helpers/servers.js';

const hasPython = spawnSync('python3', ['-c', '0']).status === 0;

/**
 * A host that drops connection attempts, on 127.0.0.1: a socket that listens (backlog 0) but never accepts.
 * Once its one queue slot is taken, the kernel ignores further SYNs, so a connect hangs as it does behind a
 * firewall. Node cannot listen without accepting, hence a small python3 process.
 */
async function blackHole(): Promise<{ port: number; close(): void }> {
  const py: ChildProcess = spawn('python3', ['-c', "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await new Promise<Buffer>((resolve) => py.stdout!.once('data', resolve)));
  const held: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      held.push(socket);
      const timer = setTimeout(() => resolve(false), 300);
      socket.on('connect', () => (clearTimeout(timer), resolve(true)));
      socket.on('error', () => (clearTimeout(timer), resolve(false)));
    });
    if (!connected) break;
  }
  return {
    port,
    close() {
      for (const socket of held) socket.destroy();
      py.kill();
    },
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('httpRequest: a connect timeout apart from the total one', () => {
  it.skipIf(!hasPython)('a host that drops the connection is named after the connect timeout, long before the total one', async () => {
    const hole = await blackHole();
    cleanups.push(() => hole.close());
    const started = Date.now();
    const error = await httpRequest({ method: 'GET', url: `http://127.0.0.1:${hole.port}/services/oauth2/token` }, { timeoutMs: 8000, connectTimeoutMs: 600, env: {} }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('timeout');
    expect((error as NetworkError).message).toMatch(/could not open a connection to 127\.0\.0\.1:\d+ within 0\.6 s/);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(4000);
  });

  it('a host that connects but never answers hits the total timeout, named as such', async () => {
    const server = await localServer(() => undefined); // accepts, reads, never answers
    cleanups.push(() => void server.close());
    const error = await httpRequest({ method: 'GET', url: `${server.url}/services/oauth2/token` }, { timeoutMs: 700, connectTimeoutMs: 300, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('timeout');
    expect((error as NetworkError).message).toMatch(/did not answer within/);
  });
});
