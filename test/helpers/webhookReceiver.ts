import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The request's path and query. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A local HTTP receiver for outbound events: records every request; `answer` decides the status, or
 * 'hang' to never answer (a dead endpoint). Hanging requests are let go on close.
 */
export async function startReceiver(answer: (r: Received) => number | 'hang' = () => 204) {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { url: req.url ?? '', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const status = answer(r);
      if (status === 'hang') hanging.add(res);
      else res.writeHead(status, { 'content-type': 'text/plain' }).end(`ok ${status}`);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    hanging,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
