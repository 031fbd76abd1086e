import type { Db } from '../../db/pool.js';

export interface PollState {
  cursor: string | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  salesFound: number;
  consecutiveFailures: number;
  flagged: boolean;
  /** The last run of failed polls, kept after recovery (endedAt null while it lasts); null if none yet. */
  lastOutage: { startedAt: Date; endedAt: Date | null; failures: number; lastError: string | null } | null;
}

export async function getPollState(db: Db, merchantId: string): Promise<PollState> {
  const { rows } = await db.query<PollState>(
    `SELECT cursor, last_run_at AS "lastRunAt", last_success_at AS "lastSuccessAt", last_error AS "lastError", sales_found::int AS "salesFound",
            consecutive_failures AS "consecutiveFailures", flagged,
            CASE WHEN outage_started_at IS NOT NULL THEN json_build_object(
              'startedAt', outage_started_at, 'endedAt', outage_ended_at, 'failures', outage_failures, 'lastError', outage_error) END AS "lastOutage"
       FROM poll_state WHERE merchant_id = $1`,
    [merchantId],
  );
  const row = rows[0];
  if (!row)
    return { cursor: null, lastRunAt: null, lastSuccessAt: null, lastError: null, salesFound: 0, consecutiveFailures: 0, flagged: false, lastOutage: null };
  // json_build_object hands the timestamps back as text.
  const o = row.lastOutage as unknown as { startedAt: string; endedAt: string | null; failures: number; lastError: string | null } | null;
  return { ...row, lastOutage: o && { ...o, startedAt: new Date(o.startedAt), endedAt: o.endedAt ? new Date(o.endedAt) : null } };
}

/** Stored in the same transaction as the page it follows, so the cursor never runs ahead of the inbox. */
export async function advanceCursor(db: Db, merchantId: string, cursor: string, found: number): Promise<void> {
  await db.query(
    `INSERT INTO poll_state (merchant_id, cursor, sales_found) VALUES ($1, $2, $3)
     ON CONFLICT (merchant_id) DO UPDATE SET cursor = excluded.cursor, sales_found = poll_state.sales_found + excluded.sales_found`,
    [merchantId, cursor, found],
  );
}

/**
 * A failure after a success opens a new outage (started now, one failure); the next failures count in it;
 * the first success after failures closes it. Written before the other columns change (SET reads the old row).
 */
const OUTAGE_UPDATE = `
       outage_started_at = CASE WHEN $2::text IS NOT NULL AND poll_state.consecutive_failures = 0 THEN now() ELSE poll_state.outage_started_at END,
       outage_ended_at = CASE WHEN $2::text IS NOT NULL AND poll_state.consecutive_failures = 0 THEN NULL
                              WHEN $2::text IS NULL AND poll_state.consecutive_failures > 0 THEN now() ELSE poll_state.outage_ended_at END,
       outage_failures = CASE WHEN $2::text IS NULL THEN poll_state.outage_failures
                              WHEN poll_state.consecutive_failures = 0 THEN 1 ELSE poll_state.outage_failures + 1 END,
       outage_error = CASE WHEN $2::text IS NOT NULL THEN $2 ELSE poll_state.outage_error END`;

export async function recordPollRun(db: Db, merchantId: string, error: string | null, flagAfter = 5): Promise<void> {
  await db.query(
    `INSERT INTO poll_state (merchant_id, last_run_at, last_success_at, last_error, consecutive_failures, flagged,
                             outage_started_at, outage_failures, outage_error)
     VALUES ($1, now(), CASE WHEN $2::text IS NULL THEN now() END, $2, CASE WHEN $2::text IS NULL THEN 0 ELSE 1 END, false,
             CASE WHEN $2::text IS NOT NULL THEN now() END, CASE WHEN $2::text IS NULL THEN 0 ELSE 1 END, $2)
     ON CONFLICT (merchant_id) DO UPDATE SET
       last_run_at = now(),
       ${OUTAGE_UPDATE},
       last_success_at = CASE WHEN $2::text IS NULL THEN now() ELSE poll_state.last_success_at END,
       last_error = $2,
       consecutive_failures = CASE WHEN $2::text IS NULL THEN 0 ELSE poll_state.consecutive_failures + 1 END,
       flagged = CASE WHEN $2::text IS NULL THEN false ELSE poll_state.consecutive_failures + 1 >= $3 END`,
    [merchantId, error, flagAfter],
  );
}

export async function flagPolling(db: Db, merchantId: string, reason: string): Promise<void> {
  await db.query(
    `INSERT INTO poll_state (merchant_id, last_run_at, last_error, consecutive_failures, flagged) VALUES ($1, now(), $2, 1, true)
     ON CONFLICT (merchant_id) DO UPDATE SET last_run_at = now(), last_error = $2, consecutive_failures = poll_state.consecutive_failures + 1, flagged = true`,
    [merchantId, reason],
  );
}

/** A run cut short by the rate limit: said in `lastError`, without counting a failure (no flag, no backoff). */
export async function recordPollStalled(db: Db, merchantId: string, reason: string): Promise<void> {
  await db.query(
    `INSERT INTO poll_state (merchant_id, last_run_at, last_error) VALUES ($1, now(), $2)
     ON CONFLICT (merchant_id) DO UPDATE SET last_run_at = now(), last_error = $2`,
    [merchantId, reason],
  );
}
