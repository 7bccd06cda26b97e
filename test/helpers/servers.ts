import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A throwaway HTTP server on 127.0.0.1 that closes every socket on close(). */
export async function localServer(handler: http.RequestListener): Promise<{ url: string; server: http.Server; close(): Promise<void> }> {
  const server = http.createServer(handler);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening (bound then released). */
export async function closedPort(): Promise<number> {
  const { server, close } = await localServer(() => undefined);
  const { port } = server.address() as AddressInfo;
  await close();
  return port;
}

/** A CONNECT proxy on 127.0.0.1 (what hpagent and corporate proxies speak); records each tunnel's target. */
export async function connectProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const net = await import('node:net');
  const tunnels: string[] = [];
  const proxy = await localServer((req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.server.on('connect', (req: http.IncomingMessage, client: import('node:net').Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
  });
  return { url: proxy.url, tunnels, close: proxy.close };
}

/** A handler that answers 200 with `megabytes` MB of JSON-typed junk, honouring back-pressure (size-limit tests). */
export function hugeAnswer(megabytes = 10): http.RequestListener {
  return (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < megabytes * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    // The client hangs up once it has seen enough.
    res.on('error', () => undefined);
    pump();
  };
}
