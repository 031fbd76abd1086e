import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointAgents } from '../../../src/events/endpointAgents.js';
import { RESPONSE_CAP, sender } from '../../../src/events/post.js';

// The sender's contract with a receiver, whatever HTTP client is under it: the checked address is the one
// connected to (Host stays the URL's), redirects are answers and not followed, at most RESPONSE_CAP bytes
// of an answer are read, a receiver that never answers is a timeout, and no failure throws.
const seen: Array<{ path: string; host: string; body: string }> = [];
let port: number;
let server: http.Server;
const hanging = new Set<http.ServerResponse>();
const agents = new EndpointAgents(4);
const local = { address: '127.0.0.1', family: 4 as const };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', host: req.headers.host ?? '', body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/ok') res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
      else if (req.url === '/moved') res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
      else if (req.url === '/big') res.writeHead(200).end('x'.repeat(1024 * 1024));
      else if (req.url === '/hang') hanging.add(res);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  agents.close();
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const send = (path: string, timeoutMs = 60_000, host = '127.0.0.1', endpointId = 1) => {
  const url = new URL(`http://${host}:${port}${path}`);
  return sender(url, agents.for(endpointId, url, local), timeoutMs)({ 'webhook-id': 'evt_1' }, '{"id":"evt_1"}');
};

describe('the sender', () => {
  it('connects to the checked address, not to what the host name resolves to, and keeps the URL’s Host', async () => {
    // receiver.invalid resolves nowhere: the request can only arrive through the checked address.
    const r = await send('/ok', 60_000, 'receiver.invalid', 2);
    expect(r).toMatchObject({ status: 200, excerpt: 'thanks', error: null });
    expect(seen.at(-1)).toEqual({ path: '/ok', host: `receiver.invalid:${port}`, body: '{"id":"evt_1"}' });
  });

  it('a redirect is an answer (3xx), not followed', async () => {
    const before = seen.length;
    expect(await send('/moved')).toMatchObject({ status: 302, error: null });
    expect(seen.slice(before).map((s) => s.path)).toEqual(['/moved']);
  });

  it('reads at most RESPONSE_CAP bytes of an answer', async () => {
    const r = await send('/big');
    expect(r.status).toBe(200);
    expect(r.excerpt).toHaveLength(RESPONSE_CAP);
  });

  it('a receiver that never answers is a timeout; a refused connection is an error; neither throws', async () => {
    expect(await send('/hang', 300)).toMatchObject({ status: null, error: 'timed out after 300 ms' });
    const closed = new URL('http://127.0.0.1:9/hook');
    const refused = await sender(closed, agents.for(3, closed, local), 5_000)({}, '{}');
    expect(refused.status).toBeNull();
    expect(refused.error).toEqual(expect.any(String));
  });

  it('https: connects to the checked address under the URL’s name (SNI) and verifies the certificate: a self-signed one is refused', async () => {
    const tlsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/tls');
    const names: string[] = [];
    let connections = 0;
    let requests = 0;
    const tls = https.createServer(
      {
        key: readFileSync(path.join(tlsDir, 'receiver.invalid.key.pem')),
        cert: readFileSync(path.join(tlsDir, 'receiver.invalid.cert.pem')),
        SNICallback: (name, done) => {
          names.push(name);
          done(null);
        },
      },
      (_req, res) => {
        requests += 1;
        res.writeHead(204).end();
      },
    );
    tls.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`https://receiver.invalid:${(tls.address() as AddressInfo).port}/hook`);
      const r = await sender(url, agents.for(4, url, local), 5_000)({}, '{}');
      expect(r.status).toBeNull();
      expect(r.error).toMatch(/self.signed/i);
      // Reached through the checked address (the name resolves nowhere), named as the URL names it, and nothing sent.
      expect(connections).toBeGreaterThan(0);
      expect(names[0]).toBe('receiver.invalid');
      expect(requests).toBe(0);
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });
});
