import { withTransaction, type Db, type Pool } from '../db/pool.js';
import type { Sale } from '../rules/sale.js';
import type { Catalog } from './catalog.js';
import { transitionClaims } from './claims.js';
import { frequentBuyerLines, type Punch } from './punches.js';
import { redeem, type RedemptionRecord } from './redeem.js';

export interface FrequentBuyerOutcome {
  outcome: 'applied' | 'stale or duplicate' | 'no offers';
  punches?: Array<{ lineId: string; offerId: number; units: number }>;
  redemptions?: Array<RedemptionRecord & { lineId: string; offerId: number }>;
  voidedRedemptions?: number[];
  customerId?: string | null;
}

const STALE: FrequentBuyerOutcome = { outcome: 'stale or duplicate' };

/**
 * The frequent-buyer side of one sale version, exactly once: a gate row per sale admits each version
 * once and only forward (a stale or repeated delivery changes nothing), and in the same statement the
 * sale's punches become what this version counts (replaced, never added, so a void or a re-delivery
 * never counts twice). A sale that redeems, or is voided, goes on in one transaction: its redemptions
 * are recorded once per line, or voided with their unpaid claims. What it did is kept on the gate row
 * for the sale view.
 */
export async function applyFrequentBuyer(pool: Pool, input: { merchantId: string; sale: Sale; catalog: Catalog }): Promise<FrequentBuyerOutcome> {
  const { merchantId, sale, catalog } = input;
  if (!catalog.offers.length) return { outcome: 'no offers' };
  const { punches, redemptions } = frequentBuyerLines(sale, catalog);
  const customerId = sale.customer?.id ?? (await originalCustomer(pool, merchantId, sale));
  const counted = customerId === null ? [] : punches;
  const outcome: FrequentBuyerOutcome = {
    outcome: 'applied',
    customerId,
    punches: counted.map(({ lineId, offerId, units }) => ({ lineId, offerId, units })),
    redemptions: [],
    voidedRedemptions: [],
  };
  // Most sales punch and redeem nothing: one statement, atomic on its own.
  if (sale.state === 'completed' && !redemptions.length) {
    return (await admitAndPunch(pool, merchantId, sale, customerId, counted, outcome)) ? outcome : STALE;
  }
  return withTransaction(pool, async (db) => {
    if (!(await admitAndPunch(db, merchantId, sale, customerId, counted, outcome))) return STALE;
    if (sale.state !== 'completed') outcome.voidedRedemptions = await voidRedemptionsOf(db, merchantId, sale.saleId);
    for (const candidate of redemptions) {
      const offer = catalog.offers.find((o) => o.id === candidate.offerId)!;
      const record = await redeem(db, {
        merchantId,
        sourceKey: `sale:${sale.saleId}:${candidate.key}`,
        saleId: sale.saleId,
        lineId: candidate.lineId,
        customerId: sale.customer?.id ?? null,
        offer,
        shopId: sale.shopId,
        freeItemPrice: candidate.freeItemPrice,
        actor: 'sale stream',
      });
      outcome.redemptions!.push({ ...record, lineId: candidate.lineId, offerId: candidate.offerId });
    }
    await db.query(`UPDATE fb_sale_state SET outcome = $3 WHERE merchant_id = $1 AND sale_id = $2`, [merchantId, sale.saleId, JSON.stringify({ version: sale.version, state: sale.state, ...outcome })]);
    return outcome;
  });
}

/**
 * Admits this version through the gate and, only then, makes the sale's punches exactly `punches`:
 * rows no longer counted are deleted, the others upserted. One statement; false when not admitted.
 */
async function admitAndPunch(db: Db, merchantId: string, sale: Sale, customerId: string | null, punches: Punch[], outcome: FrequentBuyerOutcome): Promise<boolean> {
  const { rows } = await db.query<{ admitted: number }>(
    `WITH gate AS (
       INSERT INTO fb_sale_state (merchant_id, sale_id, version, outcome) VALUES ($1, $2, $3, $4)
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET version = excluded.version, outcome = excluded.outcome
        WHERE fb_sale_state.version < excluded.version
       RETURNING 1
     ), wanted AS (
       SELECT w.* FROM jsonb_to_recordset($5) AS w (line_id text, offer_id bigint, units int, unit_price bigint) WHERE EXISTS (SELECT 1 FROM gate)
     ), gone AS (
       DELETE FROM punches p WHERE p.merchant_id = $1 AND p.sale_id = $2 AND EXISTS (SELECT 1 FROM gate)
          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.line_id = p.line_id AND w.offer_id = p.offer_id)
     ), kept AS (
       INSERT INTO punches (merchant_id, sale_id, line_id, offer_id, customer_id, shop_id, units, unit_price, sold_at)
       SELECT $1, $2, w.line_id, w.offer_id, $6, $7, w.units, w.unit_price, $8 FROM wanted w
       ON CONFLICT (merchant_id, sale_id, line_id, offer_id) DO UPDATE SET
         customer_id = excluded.customer_id, shop_id = excluded.shop_id, units = excluded.units, unit_price = excluded.unit_price, sold_at = excluded.sold_at
     )
     SELECT count(*)::int AS admitted FROM gate`,
    [
      merchantId,
      sale.saleId,
      sale.version,
      JSON.stringify({ version: sale.version, state: sale.state, ...outcome }),
      JSON.stringify(punches.map((p) => ({ line_id: p.lineId, offer_id: p.offerId, units: p.units, unit_price: p.unitPrice }))),
      customerId,
      sale.shopId,
      sale.completedAt,
    ],
  );
  return rows[0]!.admitted > 0;
}

/** A return without a customer on it takes back from the card of the sale it returns. */
async function originalCustomer(db: Db, merchantId: string, sale: Sale): Promise<string | null> {
  const refunded = sale.lines.map((l) => l.refundsLineId).filter((id): id is string => id !== undefined);
  if (!sale.returnFor && !refunded.length) return null;
  const { rows } = await db.query<{ customer_id: string }>(
    `SELECT customer_id FROM punches WHERE merchant_id = $1 AND (sale_id = $2 OR line_id = ANY($3::text[])) LIMIT 1`,
    [merchantId, sale.returnFor ?? null, refunded],
  );
  return rows[0]?.customer_id ?? null;
}

/** A voided sale gives its free items back: its redemptions are voided and their unpaid claims cancelled. */
async function voidRedemptionsOf(db: Db, merchantId: string, saleId: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number; claim_id: number | null }>(
    `UPDATE redemptions r SET status = 'voided' FROM (SELECT id FROM redemptions WHERE merchant_id = $1 AND sale_id = $2 AND status = 'accepted') v
      WHERE r.id = v.id RETURNING r.id::int, (SELECT id::int FROM claims WHERE redemption_id = r.id) AS claim_id`,
    [merchantId, saleId],
  );
  const claimIds = rows.map((r) => r.claim_id).filter((id): id is number => id !== null);
  if (claimIds.length) {
    await transitionClaims(db, claimIds, ['held', 'new', 'denied', 'resubmitted'], { actor: 'sale stream', to: 'cancelled', note: `sale ${saleId} was voided` });
    // A claim already batched or credited stays: the distributor has it; the history says why it is wrong.
    await db.query(
      `INSERT INTO claim_events (claim_id, actor, from_status, to_status, note)
       SELECT id, 'sale stream', status, status, $2 FROM claims WHERE id = ANY($1::bigint[]) AND status IN ('batched', 'credited')`,
      [claimIds, `sale ${saleId} was voided after this claim reached the distributor`],
    );
  }
  return rows.map((r) => r.id);
}
