import express, { type RequestHandler } from 'express';

/** body-parser's error for a request the client gave up on, so the edge maps it alike (400 REQUEST_ABORTED). */
const aborted = () => Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400, expose: true });

/**
 * The raw body as a Buffer in `req.body`, up to `limitBytes` (413 `PAYLOAD_TOO_LARGE` above it). The common
 * case, a plain body with its Content-Length within the limit, is read directly from the socket: body-parser's
 * machinery around the same read (raw-body, type-is, its error paths) was about 4 % of the X webhook's CPU
 * (issue 29). Anything else (compressed, chunked, no or an oversized length) goes to `express.raw` itself,
 * so its answers do not change.
 */
export function rawBody(limitBytes: number): RequestHandler {
  const parser = express.raw({ type: () => true, limit: limitBytes });
  return (req, res, next) => {
    const encoding = req.headers['content-encoding'];
    const declared = req.headers['content-length'];
    const length = declared !== undefined && /^\d{1,9}$/.test(declared) ? Number(declared) : -1;
    if (
      (encoding !== undefined && encoding.toLowerCase() !== 'identity') ||
      req.headers['transfer-encoding'] !== undefined ||
      length < 0 ||
      length > limitBytes
    )
      return parser(req, res, next);
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
      if (error) return next(error);
      req.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      next();
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
  };
}
