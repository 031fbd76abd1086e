import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sendError, sendJson } from '../../../src/http/app.js';
import { AppError } from '../../../src/http/errors.js';
import { hotRequestLog } from '../../../src/http/hotRequestLog.js';

/** A tiny app with the hot request log in front of a route that answers as asked, and the lines it wrote. */
function appWithLog(opts: { slowMs?: number; summaryEveryMs?: number }) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const log = hotRequestLog(logger, 'hook', opts);
  // A hot route as the X webhook is one: Node's own request and answer, errors answered by sendError.
  const app = (req: IncomingMessage, res: ServerResponse) => {
    const hot = log(req, res);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const status = Number(url.pathname.split('/')[2]);
    const wait = Number(url.searchParams.get('wait') ?? 0);
    hot.facts = { merchantId: 'acme' };
    void (async () => {
      if (wait) await new Promise((r) => setTimeout(r, wait));
      if (status >= 400) throw new AppError(status, 'NOPE', 'refused');
      sendJson(res, 200, JSON.stringify({ ok: true }));
    })().catch((error: unknown) => sendError(res, hot.log, error));
  };
  return { app, lines };
}

describe('the hot route request log', () => {
  it('writes no line for a successful request, one per refusal with its facts, and a request id either way', async () => {
    const { app, lines } = appWithLog({ summaryEveryMs: 60_000 });
    const ok = await request(app).post('/hook/200').expect(200);
    expect(ok.headers['x-request-id']).toBeTruthy();
    expect(lines).toEqual([]);
    await request(app).post('/hook/401?token=secret-value').set('x-request-id', 'given-id').expect(401);
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      level: 40,
      merchantId: 'acme',
      res: { statusCode: 401 },
      req: { id: 'given-id', method: 'POST', url: '/hook/401?token=[redacted]' },
    });
    // sendError's own line goes through the request's logger, bound to the request id.
    expect(lines.find((l) => l.code === 'NOPE')).toMatchObject({ reqId: 'given-id' });
  });

  it('logs a slow success on its own line, and counts the quiet ones in a summary', async () => {
    const { app, lines } = appWithLog({ slowMs: 50, summaryEveryMs: 0 });
    await request(app).post('/hook/200?wait=80').expect(200);
    expect(lines.filter((l) => l.msg === 'request completed')).toMatchObject([{ level: 30, slow: true, res: { statusCode: 200 } }]);
    await request(app).post('/hook/200').expect(200);
    expect(lines.filter((l) => l.msg === 'requests completed (summary)')).toMatchObject([{ route: 'hook', requests: 1 }]);
  });
});
