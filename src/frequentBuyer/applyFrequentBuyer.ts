import { withTransaction, type Pool } from '../db/pool.js';
import type { Sale } from '../rules/sale.js';
import type { Catalog } from './catalog.js';
import { transitionClaims } from './claims.js';
import { frequentBuyerLines } from './punches.js';
import { redeem, type RedemptionRecord } from './redeem.js';

export interface FrequentBuyerOutcome {
  outcome: 'applied' | 'stale or duplicate' | 'no offers';
  punches?: Array<{ lineId: string; offerId: number; units: number }>;
  redemptions?: Array<RedemptionRecord & { lineId: string; offerId: number }>;
  voidedRedemptions?: number[];
  customerId?: string | null;
}

/**
 * The frequent-buyer side of one sale version, exactly once: a gate row per sale admits each version
 * once and only forward (a stale or repeated delivery changes nothing), and inside the same transaction
 * the sale's punches are replaced by what this version counts (so a void or a re-delivery never counts
 * twice), the redemptions it rings up are recorded once per line, and a void cancels the redemptions
 * of the sale and their unpaid claims. What it did is kept on the gate row for the sale view.
 */
export async function applyFrequentBuyer(pool: Pool, input: { merchantId: string; sale: Sale; catalog: Catalog }): Promise<FrequentBuyerOutcome> {
  const { merchantId, sale, catalog } = input;
  if (!catalog.offers.length) return { outcome: 'no offers' };
  return withTransaction(pool, async (db) => {
    const gate = await db.query(
      `INSERT INTO fb_sale_state (merchant_id, sale_id, version) VALUES ($1, $2, $3)
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET version = excluded.version WHERE fb_sale_state.version < excluded.version
       RETURNING 1`,
      [merchantId, sale.saleId, sale.version],
    );
    if (!gate.rowCount) return { outcome: 'stale or duplicate' };

    const { punches, redemptions } = frequentBuyerLines(sale, catalog);
    const customerId = sale.customer?.id ?? (await originalCustomer(db, merchantId, sale));
    await db.query(`DELETE FROM punches WHERE merchant_id = $1 AND sale_id = $2`, [merchantId, sale.saleId]);
    if (customerId !== null && punches.length) {
      await db.query(
        `INSERT INTO punches (merchant_id, sale_id, line_id, offer_id, customer_id, shop_id, units, unit_price, sold_at)
         SELECT $1, $2, p.line_id, p.offer_id, $3, $4, p.units, p.unit_price, $5
           FROM jsonb_to_recordset($6) AS p (line_id text, offer_id bigint, units int, unit_price bigint)`,
        [merchantId, sale.saleId, customerId, sale.shopId, sale.completedAt, JSON.stringify(punches.map((p) => ({ line_id: p.lineId, offer_id: p.offerId, units: p.units, unit_price: p.unitPrice })))],
      );
    }

    const voidedRedemptions = sale.state === 'completed' ? [] : await voidRedemptionsOf(db, merchantId, sale.saleId);
    const recorded: NonNullable<FrequentBuyerOutcome['redemptions']> = [];
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
      recorded.push({ ...record, lineId: candidate.lineId, offerId: candidate.offerId });
    }
    const outcome: FrequentBuyerOutcome = {
      outcome: 'applied',
      customerId,
      punches: customerId === null ? [] : punches.map(({ lineId, offerId, units }) => ({ lineId, offerId, units })),
      redemptions: recorded,
      voidedRedemptions,
    };
    await db.query(`UPDATE fb_sale_state SET outcome = $3 WHERE merchant_id = $1 AND sale_id = $2`, [merchantId, sale.saleId, JSON.stringify({ version: sale.version, state: sale.state, ...outcome })]);
    return outcome;
  });
}

/** A return without a customer on it takes back from the card of the sale it returns. */
async function originalCustomer(db: Pick<Pool, 'query'>, merchantId: string, sale: Sale): Promise<string | null> {
  const refunded = sale.lines.map((l) => l.refundsLineId).filter((id): id is string => id !== undefined);
  if (!sale.returnFor && !refunded.length) return null;
  const { rows } = await db.query<{ customer_id: string }>(
    `SELECT customer_id FROM punches WHERE merchant_id = $1 AND (sale_id = $2 OR line_id = ANY($3::text[])) LIMIT 1`,
    [merchantId, sale.returnFor ?? null, refunded],
  );
  return rows[0]?.customer_id ?? null;
}

/** A voided sale gives its free items back: its redemptions are voided and their unpaid claims cancelled. */
async function voidRedemptionsOf(db: Pick<Pool, 'query'>, merchantId: string, saleId: string): Promise<number[]> {
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
