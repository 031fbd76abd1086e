import { Pool } from 'undici';

export interface PacedRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface PacedResult {
  sent: number;
  non2xx: number;
  errors: number;
  /** The largest gap between a request's due time and its send, ms: how far the sender itself fell behind. */
  maxLagMs: number;
}

/** How often the sender wakes to send what has fallen due. */
const TICK_MS = 2;

/**
 * Requests at a steady rate: request n leaves at n / rate seconds, whatever the answers do (an open loop:
 * a slow answer does not slow the next request). autocannon's `overallRate` is a per-second quota per
 * connection, reset each second, so it sends each second's requests in a burst at the start of the second
 * (measured: at 1,000/s, 99 % of each second's deliveries arrived in one 400 ms window of it) and a latency at
 * that "rate" is a burst's drain time. Answers are read and counted, not timed: the steady case measures
 * webhook → points from the database's own timestamps.
 */
export async function sendPaced(opts: {
  origin: string;
  ratePerSec: number;
  durationSec: number;
  connections: number;
  next: () => PacedRequest;
}): Promise<PacedResult> {
  const pool = new Pool(opts.origin, { connections: opts.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.round(opts.ratePerSec * opts.durationSec);
  const result: PacedResult = { sent: 0, non2xx: 0, errors: 0, maxLagMs: 0 };
  const inFlight = new Set<Promise<void>>();
  const send = (request: PacedRequest) => {
    const done = pool
      .request({ method: 'POST', path: request.path, body: request.body, headers: request.headers })
      .then(async (res) => {
        if (res.statusCode < 200 || res.statusCode >= 300) result.non2xx += 1;
        await res.body.dump();
      })
      .catch(() => {
        result.errors += 1;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsed / 1000) * opts.ratePerSec) + 1);
      if (due > result.sent) result.maxLagMs = Math.max(result.maxLagMs, elapsed - (result.sent / opts.ratePerSec) * 1000);
      while (result.sent < due) {
        send(opts.next());
        result.sent += 1;
      }
      if (result.sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, TICK_MS);
    tick();
  });
  while (inFlight.size) await Promise.all([...inFlight]);
  await pool.close();
  return result;
}
