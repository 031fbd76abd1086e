import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A local receiver for outbound events (the fault drill, the delivery benchmark): verifies every
 * delivery with the official `standardwebhooks` package and records, per event id, how many times it
 * arrived and when first (wall clock ms, to compare with the event's occurred_at). `hang` never answers (a dead endpoint).
 */
export async function startEventReceiver(options: { hang?: boolean } = {}) {
  let webhook: Webhook | undefined;
  const firstAt = new Map<string, number>();
  const counts = new Map<string, number>();
  const problems: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (options.hang) {
        hanging.add(res);
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      try {
        const parsed = webhook ? (webhook.verify(body, req.headers as Record<string, string>) as { id: string }) : (JSON.parse(body) as { id: string });
        // Duplicates are allowed only as the same event: the body's id is the header's.
        if (parsed.id !== id) problems.push(`delivery ${id} carries event ${parsed.id}`);
      } catch (error) {
        problems.push(`delivery ${id} does not verify: ${(error as Error).message}`);
      }
      if (!firstAt.has(id)) firstAt.set(id, Date.now());
      counts.set(id, (counts.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    firstAt,
    counts,
    problems,
    /** Verify signatures from now on (the secret is known once the endpoint is made). */
    useSecret(secret: string) {
      webhook = new Webhook(secret);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
