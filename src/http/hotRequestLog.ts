import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { redactUrl } from '../logger.js';
import { requestId } from './requestId.js';

/** A request slower than this is logged on its own line whatever its status. */
export const SLOW_REQUEST_MS = 250;
/** Successful requests of a hot route are counted, and the count logged at most once per this interval. */
export const SUMMARY_EVERY_MS = 60_000;

type Level = 'info' | 'warn' | 'error';

/** The same levels as the general request log: a 503 is a dependency away (warn), a 4xx the sender's. */
const levelOf = (status: number): Level => (status === 503 ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info');

/** One request of a hot route, as its handler sees it. */
export interface HotRequest {
  /** The caller's `x-request-id` when sane, else a new one; already echoed on the answer. */
  readonly id: string;
  /** A logger bound to the request id, built only when something logs through it. */
  readonly log: Logger;
  /** The route's facts (merchant, sale, event ids), added to the request's line when one is written. */
  facts?: object;
}

/**
 * The request log of a hot route (the X webhook, at thousands a second), on Node's own request and answer:
 * one line for every 4xx/5xx and every slow request, as the general request log writes them (same message,
 * `req`/`res` fields and the route's facts), and for the successful ones a count logged at most once a
 * minute. pino wrote one line per webhook before: 13 % of the API's CPU at full rate (issue 29).
 */
export function hotRequestLog(
  logger: Logger,
  route: string,
  opts: { slowMs?: number; summaryEveryMs?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => HotRequest {
  const slowMs = opts.slowMs ?? SLOW_REQUEST_MS;
  const summaryEveryMs = opts.summaryEveryMs ?? SUMMARY_EVERY_MS;
  let quiet = 0;
  let quietMaxMs = 0;
  let since = Date.now();

  const finished = (req: IncomingMessage, res: ServerResponse, hot: HotRequest, startedAt: number) => {
    const ms = performance.now() - startedAt;
    const status = res.statusCode;
    if (status >= 400 || ms >= slowMs) {
      logger[levelOf(status)](
        {
          req: { id: hot.id, method: req.method, url: redactUrl(req.url ?? '') },
          res: { statusCode: status },
          responseTime: Math.round(ms),
          ...(ms >= slowMs ? { slow: true } : {}),
          ...(hot.facts ?? {}),
        },
        'request completed',
      );
    } else {
      quiet += 1;
      if (ms > quietMaxMs) quietMaxMs = ms;
    }
    const now = Date.now();
    if (quiet > 0 && now - since >= summaryEveryMs) {
      logger.info({ route, requests: quiet, maxMs: Math.round(quietMaxMs), seconds: Math.round((now - since) / 1000) }, 'requests completed (summary)');
      quiet = 0;
      quietMaxMs = 0;
      since = now;
    }
  };

  return (req, res) => {
    const startedAt = performance.now();
    const id = requestId(req, res);
    let child: Logger | undefined;
    const hot: HotRequest = {
      id,
      facts: undefined,
      get log() {
        return (child ??= logger.child({ reqId: id }));
      },
    };
    res.once('finish', () => finished(req, res, hot, startedAt));
    return hot;
  };
}
