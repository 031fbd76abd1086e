import type { Db } from '../db/pool.js';
import type { Actor } from './authenticate.js';
import { insertAuditRow, mergeAuditAfter } from './store/auditLog.js';

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
  return insertAuditRow(db, {
    actor: entry.actor.name,
    actorTokenId: entry.actor.tokenId,
    merchantId: entry.merchantId ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}

/**
 * Adds what came of an action to the row written before it (an action audited first, so that one whose
 * audit cannot be written is not done): merged into `after`.
 */
export async function recordAuditOutcome(db: Db, id: number, outcome: Record<string, unknown>): Promise<void> {
  await mergeAuditAfter(db, id, JSON.stringify(outcome));
}
