import type { Db } from '../db/pool.js';
import type { Actor } from './authenticate.js';

export interface AuditEntry {
  actor: Actor;
  merchantId?: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Who changed what; callers pass already-masked before/after values. Returns the row's id. */
export async function writeAudit(db: Db, entry: AuditEntry): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO audit_log (actor, actor_token_id, merchant_id, action, entity, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::int`,
    [
      entry.actor.name,
      entry.actor.tokenId,
      entry.merchantId ?? null,
      entry.action,
      entry.entity,
      entry.entityId ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
  return rows[0]!.id;
}

/**
 * Adds what came of an action to the row written before it (an action audited first, so that one whose
 * audit cannot be written is not done): merged into `after`.
 */
export async function recordAuditOutcome(db: Db, id: number, outcome: Record<string, unknown>): Promise<void> {
  await db.query(`UPDATE audit_log SET after = coalesce(after, '{}'::jsonb) || $2::jsonb WHERE id = $1`, [id, JSON.stringify(outcome)]);
}
