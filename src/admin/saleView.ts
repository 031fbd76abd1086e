import type { Db } from '../db/pool.js';

/** Everything support needs to answer "why did (or didn't) this sale earn points?". */
export async function saleView(db: Db, merchantId: string, saleId: string) {
  const [events, decisions, entries, state, rewards] = await Promise.all([
    db.query(
      `SELECT id, version, source, status, received_at AS "receivedAt", processed_at AS "processedAt", attempts, last_error AS "lastError"
         FROM sale_events WHERE merchant_id = $1 AND sale_id = $2 ORDER BY version, id`,
      [merchantId, saleId],
    ),
    db.query(
      `SELECT id, sale_version AS "saleVersion", applied, created_at AS "evaluatedAt", decision
         FROM decisions WHERE merchant_id = $1 AND sale_id = $2 ORDER BY id`,
      [merchantId, saleId],
    ),
    db.query(
      `SELECT e.id, e.customer_id AS "customerId", e.sale_id AS "saleId", e.kind, e.points, e.status, e.available_at AS "availableAt",
              e.decision_id AS "decisionId", e.note, e.created_at AS "createdAt", e.released_at AS "releasedAt"
         FROM ledger_entries e
        WHERE e.merchant_id = $1 AND (e.sale_id = $2 OR e.decision_id IN (SELECT id FROM decisions WHERE merchant_id = $1 AND sale_id = $2))
        ORDER BY e.id`,
      [merchantId, saleId],
    ),
    db.query(`SELECT applied_version AS "appliedVersion", points, customer_id AS "customerId", original_sale_id AS "originalSaleId" FROM sale_state WHERE merchant_id = $1 AND sale_id = $2`, [
      merchantId,
      saleId,
    ]),
    db.query(`SELECT source, requested_by AS "requestedBy", requested_at AS "requestedAt" FROM rewards_requests WHERE merchant_id = $1 AND sale_id = $2`, [merchantId, saleId]),
  ]);
  if (!events.rows.length && !decisions.rows.length && !rewards.rows.length) return null;
  const pending = entries.rows.filter((e) => e.status === 'pending');
  return {
    merchantId,
    saleId,
    current: state.rows[0] ?? null,
    events: events.rows,
    decisions: decisions.rows.map((d) => ({ id: d.id, applied: d.applied, evaluatedAt: d.evaluatedAt, ...d.decision })),
    ledger: entries.rows,
    pending: { points: pending.reduce((sum, e) => sum + e.points, 0), entries: pending },
    rewardsRequest: rewards.rows[0] ?? null,
  };
}

export async function customerView(db: Db, merchantId: string, customerId: string) {
  const customer = await db.query(
    `SELECT customer_id AS "customerId", email, mobile, available::int, pending::int, updated_at AS "updatedAt" FROM customers WHERE merchant_id = $1 AND customer_id = $2`,
    [merchantId, customerId],
  );
  if (!customer.rows[0]) return null;
  const entries = await db.query(
    `SELECT id, sale_id AS "saleId", kind, points, status, available_at AS "availableAt", note, actor, created_at AS "createdAt", released_at AS "releasedAt"
       FROM ledger_entries WHERE merchant_id = $1 AND customer_id = $2 ORDER BY id DESC LIMIT 500`,
    [merchantId, customerId],
  );
  return { ...customer.rows[0], entries: entries.rows };
}
