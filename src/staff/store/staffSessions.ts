import type { Db } from '../../db/pool.js';

/** Ends a person's console sessions (all, or all but `keepSid`: the one that changed the password). */
export async function endStaffSessions(db: Db, userId: number, keepSid: string | null = null): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM staff_sessions WHERE (sess->>'userId')::bigint = $1 AND ($2::text IS NULL OR sid <> $2)`, [userId, keepSid]);
  return rowCount ?? 0;
}
