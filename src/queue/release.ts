import type { Queues } from './queues.js';
import { releaseJobId } from './jobs.js';

/**
 * Wakes the release of a merchant's pending points at the end of their time bucket. One delayed job per
 * merchant and bucket, never one per sale: 100,000 pending entries cost a handful of jobs. Postgres
 * decides what is due; a lost job only delays a release until the sweeper's next run.
 */
export async function scheduleRelease(queues: Queues, merchantId: string, dueAt: Date, bucketMs: number, now = Date.now()): Promise<void> {
  const dueBy = Math.ceil(dueAt.getTime() / bucketMs) * bucketMs;
  await queues.release.add('release', { merchantId, dueBy }, { jobId: releaseJobId(merchantId, dueBy), delay: Math.max(0, dueBy - now) });
}
