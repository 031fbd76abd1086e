import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostResult {
  /** null: no HTTP answer (timeout, refused, reset). */
  status: number | null;
  latencyMs: number;
  /** The first bytes of the answer's body (or the error), for the delivery log. */
  excerpt: string;
  error: string | null;
}

/** Bytes of a receiver's answer read at most: the rest is dropped unread (a receiver can't make us buffer). */
export const RESPONSE_CAP = 4 * 1024;

/**
 * POSTs `body` to `url`, connecting to `address` (the one the SSRF check approved; the host name is
 * still sent as Host and TLS server name). Redirects are not followed (a 3xx is a failure, as the
 * Standard Webhooks spec says); the whole exchange is bounded by `timeoutMs`. `agent` is the endpoint's
 * own keep-alive agent (./endpointAgents.ts). Never throws.
 */
export function post(
  url: URL,
  address: { address: string; family: 4 | 6 },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  agent: http.Agent,
): Promise<PostResult> {
  const started = performance.now();
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: Math.round(performance.now() - started) });
    };
    const req = mod.request(url, {
      method: 'POST',
      lookup,
      agent,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'loyalty-webhooks/1' },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: null, excerpt: '', error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (error) => finish({ status: null, excerpt: '', error: error.message.slice(0, 200) }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= RESPONSE_CAP) return;
        chunks.push(chunk);
        size += chunk.length;
        if (size >= RESPONSE_CAP) {
          // Enough for the log: stop reading and let the socket go.
          res.destroy();
          finish({ status: res.statusCode ?? null, excerpt: Buffer.concat(chunks).subarray(0, RESPONSE_CAP).toString('utf8'), error: null });
        }
      });
      res.on('end', () => finish({ status: res.statusCode ?? null, excerpt: Buffer.concat(chunks).toString('utf8'), error: null }));
      res.on('error', () => finish({ status: res.statusCode ?? null, excerpt: Buffer.concat(chunks).toString('utf8'), error: null }));
      res.on('close', () => finish({ status: res.statusCode ?? null, excerpt: Buffer.concat(chunks).toString('utf8'), error: null }));
    });
    req.end(body);
  });
}
