import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/authenticate.js';
import { writeAudit } from '../access/audit.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { upsertCustomer } from '../ledger/store/customers.js';
import { writeEntry } from '../ledger/store/entries.js';

export interface Adjustment {
  points: number;
  reason: string;
  /** The same key adjusts once (a client's retry); none: a new key. */
  idempotencyKey?: string | undefined;
}

/** A manual ledger entry (posted at once) and its audit line, in one transaction; false when its key was already used. */
export async function adjustPoints(pool: Pool, actor: Actor, merchantId: string, customerId: string, input: Adjustment): Promise<boolean> {
  const key = `adjust:${input.idempotencyKey ?? randomUUID()}`;
  return withTransaction(pool, async (db) => {
    await upsertCustomer(db, merchantId, { id: customerId });
    const ok = await writeEntry(db, {
      merchantId,
      customerId,
      saleId: null,
      kind: 'adjust',
      points: input.points,
      status: 'posted',
      availableAt: new Date(),
      decisionId: null,
      idempotencyKey: key,
      note: input.reason,
      actor: actor.name,
    });
    if (ok)
      await writeAudit(db, {
        actor,
        merchantId,
        action: 'customer.adjust',
        entity: 'customer',
        entityId: customerId,
        after: { points: input.points, reason: input.reason },
      });
    return ok;
  });
}
