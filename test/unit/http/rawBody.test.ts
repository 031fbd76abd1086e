import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawBodyReader } from '../../../src/http/rawBody.js';

const LIMIT = 1024;
const readBody = rawBodyReader(LIMIT);
const answer = (res: ServerResponse, status: number, body: object) => {
  res.statusCode = status;
  res.end(JSON.stringify(body));
};
// On Node's own request and answer, as the X webhook reads its body (before Express).
const server = createServer((req, res) => {
  readBody(req, res).then(
    (body) => answer(res, 200, { bytes: body.length, text: body.toString('utf8') }),
    (error: { status?: number; type?: string }) => answer(res, error.status ?? 500, { type: error.type }),
  );
});
let port = 0;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** One request with exactly these headers and body chunks (no client adding its own framing). */
function send(headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('the webhook’s raw body', () => {
  it('reads a plain body with its Content-Length directly, in one piece or several', async () => {
    const body = Buffer.from('payload=%7B%22id%22%3A1%7D');
    expect(await send({ 'content-length': String(body.length) }, [body])).toEqual({ status: 200, body: { bytes: body.length, text: body.toString() } });
    const parts = [body.subarray(0, 5), body.subarray(5)];
    expect(await send({ 'content-length': String(body.length) }, parts)).toEqual({ status: 200, body: { bytes: body.length, text: body.toString() } });
    expect(await send({ 'content-length': '0' }, [])).toEqual({ status: 200, body: { bytes: 0, text: '' } });
  });

  it('answers 413 (entity.too.large) above the limit, as express.raw does', async () => {
    const body = Buffer.alloc(LIMIT + 1, 97);
    expect(await send({ 'content-length': String(body.length) }, [body])).toEqual({ status: 413, body: { type: 'entity.too.large' } });
  });

  it('leaves chunked and compressed bodies to express.raw (inflated, limited alike)', async () => {
    expect(await send({ 'transfer-encoding': 'chunked' }, [Buffer.from('a=1'), Buffer.from('&b=2')])).toEqual({
      status: 200,
      body: { bytes: 7, text: 'a=1&b=2' },
    });
    const big = [Buffer.alloc(LIMIT, 97), Buffer.from('b')];
    expect(await send({ 'transfer-encoding': 'chunked' }, big)).toEqual({ status: 413, body: { type: 'entity.too.large' } });
    const gz = gzipSync('payload=x');
    expect(await send({ 'content-encoding': 'gzip', 'content-length': String(gz.length) }, [gz])).toEqual({
      status: 200,
      body: { bytes: 9, text: 'payload=x' },
    });
  });
});
