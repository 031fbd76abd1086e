import type { Dispatcher } from 'undici';

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

/** Sends deliveries to one endpoint: built once per round, used for each delivery. */
export type Sender = (headers: Record<string, string>, body: string) => Promise<PostResult>;

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * A sender POSTing to `url` through `pool`, the endpoint's own connection pool (./endpointAgents.ts:
 * it connects to the address the SSRF check approved). undici's handler interface, rather than a
 * response stream per delivery: the answer's status and first bytes are all the delivery log needs, and
 * a stream, a promise and a timer per delivery were most of the sender's own CPU. Redirects are not
 * followed (a 3xx is a failure, as the Standard Webhooks spec says). `timeoutMs` bounds the wait for the
 * answer's headers and each pause in its body, and the exchange as a whole is checked at every chunk. A
 * send never throws.
 */
export function sender(url: URL, pool: Dispatcher, timeoutMs: number): Sender {
  const path = `${url.pathname}${url.search}`;
  return (headers, body) =>
    new Promise((resolve) => {
      const started = performance.now();
      let status: number | null = null;
      let size = 0;
      const chunks: Buffer[] = [];
      let settled = false;
      const excerpt = () => (chunks.length ? Buffer.concat(chunks).subarray(0, RESPONSE_CAP).toString('utf8') : '');
      const finish = (error: string | null) => {
        if (settled) return;
        settled = true;
        resolve({ status, excerpt: excerpt(), error, latencyMs: Math.round(performance.now() - started) });
      };
      let abort: ((err?: Error) => void) | undefined;
      try {
        pool.dispatch(
          {
            origin: url.origin,
            path,
            method: 'POST',
            body,
            headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'loyalty-webhooks/1' },
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
          },
          {
            onConnect(abortRequest) {
              abort = abortRequest;
            },
            onHeaders(statusCode) {
              // 1xx informational answers are followed by the real one.
              if (statusCode >= 200) status = statusCode;
              return true;
            },
            onData(chunk) {
              if (size < RESPONSE_CAP) {
                chunks.push(chunk);
                size += chunk.length;
              }
              // Enough for the log, or a receiver trickling past the deadline: stop reading, let the connection go.
              const late = performance.now() - started > timeoutMs;
              if (size >= RESPONSE_CAP || late) {
                finish(late && size < RESPONSE_CAP ? `timed out after ${timeoutMs} ms` : null);
                abort?.();
                return false;
              }
              return true;
            },
            onComplete() {
              finish(null);
            },
            onError(err) {
              const code = (err as { code?: string }).code ?? '';
              // After the status: the answer counts (its body was cut short); before: no answer.
              if (status !== null) finish(null);
              else finish(TIMEOUTS.has(code) ? `timed out after ${timeoutMs} ms` : err.message.slice(0, 200));
            },
            onUpgrade() {
              finish('unexpected protocol upgrade');
              abort?.();
            },
          },
        );
      } catch (error) {
        // A request undici refuses outright (a pool already closed): no answer, as for a network error.
        finish((error as Error).message.slice(0, 200));
      }
    });
}
