import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { actorOf } from '../access/authenticate.js';
import { recordAuditOutcome, writeAudit } from '../access/audit.js';
import { AppError } from '../http/errors.js';

export interface QueueAction {
  action: string;
  entity: 'queue' | 'job' | 'job-scheduler' | 'queue-dashboard';
  entityId: string | null;
  /** The status a bulk retry or clean acts on (`failed`, `completed`, ...). */
  status?: string;
}

/** Queue-level verbs of bull-board's API (`/api/queues/:queue/<verb>[/...]`); anything else there is a job id. */
const QUEUE_VERBS = new Set(['add', 'retry', 'promote', 'clean', 'pause', 'resume', 'concurrency', 'rate-limit', 'empty', 'obliterate', 'job-schedulers']);

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * What a bull-board write is, read from its path under the board (bull-board 9's API routes):
 * `/api/queues/pause` → queues.pause, `/api/queues/sales/clean/completed` → queue.clean of `sales`
 * (status completed), `/api/queues/sales/event-6/retry` → job.retry of `sales/event-6`. An unknown shape is
 * still audited, under its method and path.
 */
export function queueAction(method: string, path: string): QueueAction {
  const parts = path.split('?')[0]!.split('/').filter(Boolean).map(decode);
  if (parts[0] === 'api' && parts[1] === 'queues' && parts.length >= 3) {
    const rest = parts.slice(2);
    if (rest.length === 1) return { action: `queues.${rest[0]}`, entity: 'queue', entityId: null };
    const [queue, verb, ...tail] = rest as [string, string, ...string[]];
    if (verb === 'job-schedulers')
      return { action: `queue.job-scheduler.${tail[1] ?? 'update'}`, entity: 'job-scheduler', entityId: `${queue}/${tail[0] ?? ''}` };
    if (QUEUE_VERBS.has(verb)) {
      const sub = verb === 'rate-limit' && tail[0] === 'release' ? '.release' : '';
      return {
        action: `queue.${verb}${sub}`,
        entity: 'queue',
        entityId: queue,
        ...((verb === 'retry' || verb === 'clean') && tail[0] ? { status: tail[0] } : {}),
      };
    }
    return { action: `job.${tail[0] ?? 'change'}`, entity: 'job', entityId: `${queue}/${verb}`, ...(tail[1] ? { status: tail[1] } : {}) };
  }
  return { action: `queue-dashboard.${method.toLowerCase()}`, entity: 'queue-dashboard', entityId: `/${parts.join('/')}`.slice(0, 200) };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Job data a person adds or edits is kept in the row, cut to this many characters of JSON. */
const MAX_BODY_CHARS = 4_000;

/**
 * Every bull-board write by a person goes to audit_log, named and with the person: written before the
 * board acts (if the row cannot be written, the action is refused with 503, never done unrecorded), then
 * completed with the answer's status and the request body bull-board parsed.
 */
export function auditQueueActions(ctx: Pick<AppContext, 'pool' | 'logger'>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (READS.has(req.method)) return next();
    const actor = actorOf(req);
    const what = queueAction(req.method, req.path);
    let id: number;
    try {
      id = await writeAudit(ctx.pool, {
        actor,
        merchantId: null,
        action: what.action,
        entity: what.entity,
        entityId: what.entityId,
        after: { method: req.method, path: `${req.baseUrl}${req.path}`, ...(what.status ? { status: what.status } : {}) },
      });
    } catch (error) {
      req.log.error({ err: error, action: what.action }, 'queue dashboard action refused: its audit row could not be written');
      return next(new AppError(503, 'AUDIT_UNAVAILABLE', 'the action cannot be recorded now; try again'));
    }
    res.on('finish', () => {
      const body = req.body === undefined || (typeof req.body === 'object' && req.body !== null && Object.keys(req.body).length === 0) ? undefined : req.body;
      const text = body === undefined ? undefined : JSON.stringify(body);
      const outcome = {
        answer: res.statusCode,
        ...(text === undefined ? {} : text.length <= MAX_BODY_CHARS ? { body } : { bodyTruncated: text.slice(0, MAX_BODY_CHARS) }),
      };
      recordAuditOutcome(ctx.pool, id, outcome).catch((error: unknown) =>
        ctx.logger.error({ err: error, auditId: id, action: what.action }, 'could not record the outcome of a queue dashboard action'),
      );
    });
    next();
  };
}
