import type { Job, JobType } from 'bullmq';
import { saleJobId } from './jobs.js';
import type { Queues } from './queues.js';

/** Where a sale job stands, for the sweeper and the replay: 'queued' (waiting, running or delayed) needs nothing. */
export type SaleJobState = { state: 'queued' } | { state: 'missing' } | { state: 'failed' | 'completed' | 'unknown'; job: Job };

/**
 * The ids of every sale job still to run, in one round trip. Asking each job for its state instead
 * (BullMQ's `getState`) scans the wait list (LPOS) once per job: quadratic in a backlog. In the soak,
 * sweeps every 2 s of a backlog growing to 17,000 rows ran 268,000 LPOS (61 µs each) in 6 minutes, and the
 * backlog fed itself.
 */
export async function queuedSaleJobIds(queues: Pick<Queues, 'sales'>): Promise<Set<string>> {
  // 'paused': a queue paused from bull-board keeps its waiting jobs in that list (BullMQ's getRanges script
  // reads it; its JobType leaves it out).
  const lists = ['active', 'waiting', 'paused' as JobType, 'delayed', 'prioritized', 'waiting-children'] satisfies JobType[];
  return new Set(await queues.sales.getRanges(lists, 0, -1));
}

const CHUNK = 200;

/**
 * The state of each event's job. Jobs in `queued` (from queuedSaleJobIds) are not asked again; the others
 * are read in parallel chunks (ioredis pipelines them), and only a job that exists is asked its state,
 * which for a finished job is a sorted-set lookup.
 */
export async function saleJobStates(queues: Pick<Queues, 'sales'>, eventIds: number[], queued: Set<string>): Promise<Map<number, SaleJobState>> {
  const out = new Map<number, SaleJobState>();
  const rest = eventIds.filter((id) => (queued.has(saleJobId(id)) ? (out.set(id, { state: 'queued' }), false) : true));
  for (let i = 0; i < rest.length; i += CHUNK) {
    const chunk = rest.slice(i, i + CHUNK);
    const states = await Promise.all(
      chunk.map(async (id): Promise<SaleJobState> => {
        const job = await queues.sales.getJob(saleJobId(id));
        if (!job) return { state: 'missing' };
        const state = await job.getState();
        if (state === 'failed' || state === 'completed' || state === 'unknown') return { state, job };
        // Queued since the lists were read.
        return { state: 'queued' };
      }),
    );
    chunk.forEach((id, k) => out.set(id, states[k]!));
  }
  return out;
}
