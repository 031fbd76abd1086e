import type { Db } from '../../db/pool.js';

/** Everything support needs to answer "why did (or didn't) this sale earn points?". */
export async function saleView(db: Db, merchantId: string, saleId: string) {
  const [events, decisions, entries, state, rewards, frequentBuyer] = await Promise.all([
    db.query(
      `SELECT id, version, source, status, receipt, received_at AS "receivedAt", processed_at AS "processedAt", attempts, last_error AS "lastError",
              payload_dropped_at AS "payloadDroppedAt"
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
        WHERE e.merchant_id = $1
          -- ANY(ARRAY(...)) rather than IN (...): two index scans OR-ed, not a read of all the merchant's entries.
          AND (e.sale_id = $2 OR e.decision_id = ANY (ARRAY(SELECT id FROM decisions WHERE merchant_id = $1 AND sale_id = $2)))
        ORDER BY e.id`,
      [merchantId, saleId],
    ),
    db.query(
      `SELECT applied_version AS "appliedVersion", points, customer_id AS "customerId", original_sale_id AS "originalSaleId" FROM sale_state WHERE merchant_id = $1 AND sale_id = $2`,
      [merchantId, saleId],
    ),
    db.query(`SELECT source, requested_by AS "requestedBy", requested_at AS "requestedAt" FROM rewards_requests WHERE merchant_id = $1 AND sale_id = $2`, [
      merchantId,
      saleId,
    ]),
    frequentBuyerOfSale(db, merchantId, saleId),
  ]);
  if (!events.rows.length && !decisions.rows.length && !rewards.rows.length) return null;
  const pending = entries.rows.filter((e) => e.status === 'pending');
  return {
    merchantId,
    saleId,
    receipt:
      events.rows
        .map((e) => e.receipt)
        .filter(Boolean)
        .at(-1) ?? null,
    current: state.rows[0] ?? null,
    events: events.rows,
    decisions: decisions.rows.map((d) => ({ id: d.id, applied: d.applied, evaluatedAt: d.evaluatedAt, ...d.decision })),
    ledger: entries.rows,
    pending: { points: pending.reduce((sum, e) => sum + e.points, 0), entries: pending },
    rewardsRequest: rewards.rows[0] ?? null,
    frequentBuyer,
  };
}

/** Punches the sale counts now, its redemptions (a rejected one with its reason) and their claims. */
async function frequentBuyerOfSale(db: Db, merchantId: string, saleId: string) {
  const [state, punches, redemptions] = await Promise.all([
    db.query(`SELECT version, outcome FROM fb_sale_state WHERE merchant_id = $1 AND sale_id = $2`, [merchantId, saleId]),
    db.query(
      `SELECT p.line_id AS "lineId", p.offer_id::int AS "offerId", o.name AS "offerName", p.customer_id AS "customerId", p.units
         FROM punches p JOIN offers o ON o.id = p.offer_id WHERE p.merchant_id = $1 AND p.sale_id = $2 ORDER BY p.line_id, p.offer_id`,
      [merchantId, saleId],
    ),
    db.query(
      `SELECT r.id::int, r.line_id AS "lineId", r.offer_id::int AS "offerId", r.customer_id AS "customerId", r.status, r.reason_code AS "reasonCode", r.reason,
              r.free_item_price::int AS "freeItemPrice", r.created_at AS "recordedAt", c.id::int AS "claimId", c.status AS "claimStatus"
         FROM redemptions r LEFT JOIN claims c ON c.redemption_id = r.id WHERE r.merchant_id = $1 AND r.sale_id = $2 ORDER BY r.id`,
      [merchantId, saleId],
    ),
  ]);
  if (!state.rows[0] && !redemptions.rows.length) return null;
  // lastApplied: what the newest version did (a void shows its voided redemptions there).
  return { appliedVersion: state.rows[0]?.version ?? null, lastApplied: state.rows[0]?.outcome ?? null, punches: punches.rows, redemptions: redemptions.rows };
}
