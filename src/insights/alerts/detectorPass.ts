import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { detect, type Condition } from './detect.js';
import { figuresOf, merchantsToExamine } from './figures.js';
import { defaultThresholds } from './thresholds.js';
import { applyDetectorResult } from './transitions.js';

const CHUNK = 500;
const DAY = 86_400_000;

/**
 * One detector pass (the "alerts" maintenance job, a BullMQ job scheduler): examines the merchants with
 * sales on the days it compares, open alerts or an operational condition, in chunks (a few statements
 * per chunk), and moves their alerts in one transaction per chunk. Returns counts for the job's result.
 */
export async function runDetectorPass(pool: Pool, now: Date = new Date()): Promise<{ examined: number; opened: number; resolved: number }> {
  // Two UTC days back covers "yesterday" in every time zone.
  const since = new Date(now.getTime() - 2 * DAY).toISOString().slice(0, 10);
  // The loosest thresholds a merchant may set decide who is examined; each merchant's own decide the alert.
  const ids = await merchantsToExamine(pool, since, new Date(now.getTime() - defaultThresholds.pollStalledHours * 3_600_000), 1);
  let opened = 0;
  let resolved = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const figures = await figuresOf(pool, chunk, now);
    const conditions: Array<Condition & { merchantId: string }> = [];
    for (const [merchantId, { figures: f, thresholds }] of figures) for (const c of detect(f, thresholds, now)) conditions.push({ ...c, merchantId });
    const moved = await withTransaction(pool, (db) => applyDetectorResult(db, chunk, conditions));
    opened += moved.filter((t) => t.to === 'open').length;
    resolved += moved.filter((t) => t.to === 'resolved').length;
  }
  return { examined: ids.length, opened, resolved };
}
