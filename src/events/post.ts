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

/** Sends deliveries to one endpoint's checked address: built once per round, used for each delivery. */
export type Sender = (headers: Record<string, string>, body: string) => Promise<PostResult>;

/**
 * A sender to `url` connecting to `address` (the one the SSRF check approved; the host name is still
 * sent as Host and TLS server name). The request options (host, port, path, the pinned lookup, the
 * agent) are built here once per round rather than per delivery: at a thousand deliveries a second,
 * turning the URL into options each time was a visible share of the sender's CPU. Redirects are not
 * followed (a 3xx is a failure, as the Standard Webhooks spec says); each exchange is bounded by
 * `timeoutMs`. `agent` is the endpoint's own keep-alive agent (./endpointAgents.ts). A send never throws.
 */
export function sender(url: URL, address: { address: string; family: 4 | 6 }, timeoutMs: number, agent: http.Agent): Sender {
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const mod = url.protocol === 'https:' ? https : http;
  // What urlToHttpOptions would give (an IPv6 literal without its brackets), once.
  const base = {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    lookup,
    agent,
  };
  return (headers, body) => {
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (status: number | null, excerpt: string, error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, excerpt, error, latencyMs: Math.round(performance.now() - started) });
      };
      const req = mod.request({
        ...base,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'loyalty-webhooks/1' },
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish(null, '', `timed out after ${timeoutMs} ms`);
      }, timeoutMs);
      req.on('error', (error) => finish(null, '', error.message.slice(0, 200)));
      req.on('response', (res) => {
        const status = res.statusCode ?? null;
        const chunks: Buffer[] = [];
        let size = 0;
        const excerpt = () => (chunks.length ? Buffer.concat(chunks).subarray(0, RESPONSE_CAP).toString('utf8') : '');
        res.on('data', (chunk: Buffer) => {
          if (size >= RESPONSE_CAP) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_CAP) {
            // Enough for the log: stop reading and let the socket go.
            res.destroy();
            finish(status, excerpt(), null);
          }
        });
        res.on('end', () => finish(status, excerpt(), null));
        res.on('error', () => finish(status, excerpt(), null));
        res.on('close', () => finish(status, excerpt(), null));
      });
      req.end(body);
    });
  };
}
