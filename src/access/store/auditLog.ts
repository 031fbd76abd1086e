import type { Db } from '../../db/pool.js';

/** One audit_log row as stored: before and after already masked and serialized (or null). */
export interface AuditRow {
  actor: string;
  actorTokenId: number | null;
  merchantId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: string | null;
  after: string | null;
}

export async function insertAuditRow(db: Db, row: AuditRow): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO audit_log (actor, actor_token_id, merchant_id, action, entity, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::int`,
    [row.actor, row.actorTokenId, row.merchantId, row.action, row.entity, row.entityId, row.before, row.after],
  );
  return rows[0]!.id;
}

/** Merges `outcome` (a serialized object) into the row's `after`. */
export async function mergeAuditAfter(db: Db, id: number, outcome: string): Promise<void> {
  await db.query(`UPDATE audit_log SET after = coalesce(after, '{}'::jsonb) || $2::jsonb WHERE id = $1`, [id, outcome]);
}
