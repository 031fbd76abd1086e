import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';

/** body-parser's error for a request the client gave up on, so the edge maps it alike (400 REQUEST_ABORTED). */
const aborted = () => Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400, expose: true });

/**
 * Reads a request's raw body, up to `limitBytes` (body-parser's `entity.too.large` above it, which the edge
 * answers 413 `PAYLOAD_TOO_LARGE`). The common case, a plain body with its Content-Length within the limit,
 * is read directly from the socket: body-parser's machinery around the same read (raw-body, type-is, its
 * error paths) was about 4 % of the X webhook's CPU (issue 29). Anything else (compressed, chunked, no or an
 * oversized length) goes to `express.raw` itself, so its answers do not change. Node's own request and
 * answer are enough: the X webhook reads its body before Express (src/http/app.ts, `hot` routes).
 */
export function rawBodyReader(limitBytes: number): (req: IncomingMessage, res: ServerResponse) => Promise<Buffer> {
  const parser = express.raw({ type: () => true, limit: limitBytes });
  const viaBodyParser = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<Buffer>((resolve, reject) =>
      parser(req as express.Request, res as express.Response, (error?: unknown) => {
        if (error) return reject(error);
        const body = (req as { body?: unknown }).body;
        resolve(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
      }),
    );
  return (req, res) => {
    const encoding = req.headers['content-encoding'];
    const declared = req.headers['content-length'];
    const length = declared !== undefined && /^\d{1,9}$/.test(declared) ? Number(declared) : -1;
    if (
      (encoding !== undefined && encoding.toLowerCase() !== 'identity') ||
      req.headers['transfer-encoding'] !== undefined ||
      length < 0 ||
      length > limitBytes
    )
      return viaBodyParser(req, res);
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('aborted', onAborted);
        req.off('error', settle);
        if (error) reject(error);
        else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
      };
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        chunks.push(chunk);
      };
      const onEnd = () => settle(received === length ? undefined : aborted());
      const onAborted = () => settle(aborted());
      req.on('data', onData);
      req.once('end', onEnd);
      req.once('aborted', onAborted);
      req.once('error', settle);
    });
  };
}
