import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { figuresOf, markExamined, merchantsToExamine, type DueDay } from '../store/detectorFigures.js';
import { detect, type Condition } from './detect.js';
import { defaultThresholds } from './thresholds.js';
import { applyDetectorResult } from './transitions.js';

const CHUNK = 1_000;

/**
 * One detector pass (the "alerts" maintenance job, a BullMQ job scheduler): examines the merchants whose
 * figures changed since the last pass or whose changed day has just ended, those with open alerts and
 * those an operational condition names; a chunk of merchants costs a handful of set-based statements
 * (never one per merchant), and its alerts move in one transaction with the note of what it examined.
 * Returns counts for the job's result.
 */
export async function runDetectorPass(pool: Pool, now: Date = new Date()): Promise<{ examined: number; opened: number; resolved: number }> {
  // The loosest thresholds a merchant may set decide who is examined; each merchant's own decide the alert.
  const { merchantIds: ids, due } = await merchantsToExamine(pool, now, new Date(now.getTime() - defaultThresholds.pollStalledHours * 3_600_000), 1);
  const dueOf = new Map<string, DueDay[]>();
  for (const d of due) dueOf.set(d.merchantId, [...(dueOf.get(d.merchantId) ?? []), d]);
  let opened = 0;
  let resolved = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const figures = await figuresOf(pool, chunk, now);
    const conditions: Array<Condition & { merchantId: string }> = [];
    for (const [merchantId, { figures: f, thresholds }] of figures) for (const c of detect(f, thresholds, now)) conditions.push({ ...c, merchantId });
    const moved = await withTransaction(pool, async (db) => {
      const transitions = await applyDetectorResult(db, chunk, conditions);
      await markExamined(
        db,
        chunk.flatMap((id) => dueOf.get(id) ?? []),
        now,
      );
      return transitions;
    });
    opened += moved.filter((t) => t.to === 'open').length;
    resolved += moved.filter((t) => t.to === 'resolved').length;
  }
  return { examined: ids.length, opened, resolved };
}
