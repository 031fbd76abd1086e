import { withTransaction, type Db, type Pool } from '../db/pool.js';
import type { Sale } from '../rules/sale.js';
import type { Catalog } from './catalog.js';
import { transitionClaims } from './store/claims.js';
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

export interface FrequentBuyerInput {
  merchantId: string;
  sale: Sale;
  catalog: Catalog;
}

/**
 * The frequent-buyer side of one sale version, exactly once: a gate row per sale admits each version
 * once and only forward (a stale or repeated delivery changes nothing), and in the same statement the
 * sale's punches become what this version counts (replaced, never added, so a void or a re-delivery
 * never counts twice). A sale that redeems, or is voided, goes on in one transaction: its redemptions
 * are recorded once per line, or voided with their unpaid claims. What it did is kept on the gate row
 * for the sale view.
 */
export async function applyFrequentBuyer(pool: Pool, input: FrequentBuyerInput): Promise<FrequentBuyerOutcome> {
  const [outcome] = await applyFrequentBuyers(pool, [input]);
  if (outcome instanceof Error) throw outcome;
  return outcome!;
}

/**
 * The same for many sales (the sales worker's batch): every sale that only punches (most of them) is
 * admitted and counted by one statement for all, with a gate per sale; a sale that redeems or is voided,
 * or one with another version in the batch, goes alone in its own transaction, in version order. One
 * outcome, or the error of that sale, per input.
 */
export async function applyFrequentBuyers(pool: Pool, inputs: FrequentBuyerInput[]): Promise<Array<FrequentBuyerOutcome | Error>> {
  const results: Array<FrequentBuyerOutcome | Error> = inputs.map(() => NO_OFFERS);
  const perSale = new Map<string, number>();
  for (const { merchantId, sale } of inputs) perSale.set(`${merchantId}\u0000${sale.saleId}`, (perSale.get(`${merchantId}\u0000${sale.saleId}`) ?? 0) + 1);
  const together: Array<{ i: number; planned: Planned }> = [];
  const alone: Array<{ i: number; planned: Planned }> = [];
  for (const [i, input] of inputs.entries()) {
    if (!input.catalog.offers.length) continue;
    try {
      const planned = await plan(pool, input);
      const single = perSale.get(`${input.merchantId}\u0000${input.sale.saleId}`) === 1;
      (single && input.sale.state === 'completed' && !planned.redemptions.length ? together : alone).push({ i, planned });
    } catch (error) {
      results[i] = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (together.length) {
    try {
      const admitted = await admitAndPunch(
        pool,
        together.map((t) => t.planned),
      );
      together.forEach((t, k) => (results[t.i] = admitted[k] ? t.planned.outcome : STALE));
    } catch {
      // One sale PostgreSQL refuses fails alone: the others go one by one.
      alone.push(...together);
    }
  }
  alone.sort((a, b) => inputs[a.i]!.sale.version - inputs[b.i]!.sale.version);
  for (const { i, planned } of alone) {
    results[i] = await applyAlone(pool, planned).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }
  return results;
}

const NO_OFFERS: FrequentBuyerOutcome = { outcome: 'no offers' };

interface Planned {
  input: FrequentBuyerInput;
  customerId: string | null;
  punches: Punch[];
  redemptions: ReturnType<typeof frequentBuyerLines>['redemptions'];
  outcome: FrequentBuyerOutcome;
}

async function plan(db: Db, input: FrequentBuyerInput): Promise<Planned> {
  const { merchantId, sale, catalog } = input;
  const { punches, redemptions } = frequentBuyerLines(sale, catalog);
  const customerId = sale.customer?.id ?? (await originalCustomer(db, merchantId, sale));
  const counted = customerId === null ? [] : punches;
  const outcome: FrequentBuyerOutcome = {
    outcome: 'applied',
    customerId,
    punches: counted.map(({ lineId, offerId, units }) => ({ lineId, offerId, units })),
    redemptions: [],
    voidedRedemptions: [],
  };
  return { input, customerId, punches: counted, redemptions, outcome };
}

async function applyAlone(pool: Pool, planned: Planned): Promise<FrequentBuyerOutcome> {
  const { input, redemptions, outcome } = planned;
  const { merchantId, sale, catalog } = input;
  // Most sales punch and redeem nothing: one statement, atomic on its own.
  if (sale.state === 'completed' && !redemptions.length) return (await admitAndPunch(pool, [planned]))[0] ? outcome : STALE;
  return withTransaction(pool, async (db) => {
    if (!(await admitAndPunch(db, [planned]))[0]) return STALE;
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
    await db.query(`UPDATE fb_sale_state SET outcome = $3 WHERE merchant_id = $1 AND sale_id = $2`, [
      merchantId,
      sale.saleId,
      JSON.stringify({ version: sale.version, state: sale.state, ...outcome }),
    ]);
    return outcome;
  });
}

/**
 * Admits each version through its sale's gate and, only then, makes that sale's punches exactly what it
 * counts: rows no longer counted are deleted, the others upserted. One statement for all the sales
 * (never two versions of one sale); per sale, whether it was admitted.
 */
async function admitAndPunch(db: Db, sales: Planned[]): Promise<boolean[]> {
  const input = sales.map(({ input: { merchantId, sale }, customerId, punches, outcome }) => ({
    merchant_id: merchantId,
    sale_id: sale.saleId,
    version: sale.version,
    outcome: { version: sale.version, state: sale.state, ...outcome },
    punches: punches.map((p) => ({ line_id: p.lineId, offer_id: p.offerId, units: p.units, unit_price: p.unitPrice })),
    customer_id: customerId,
    shop_id: sale.shopId,
    sold_at: sale.completedAt,
  }));
  const { rows } = await db.query<{ ord: number }>({
    name: 'frequentBuyer.admitAndPunch',
    text: `WITH input AS (
       SELECT i.*, a.ord FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a (doc, ord),
              jsonb_to_record(a.doc) AS i (merchant_id text, sale_id text, version bigint, outcome jsonb, punches jsonb, customer_id text, shop_id text, sold_at timestamptz)
     ), gate AS (
       INSERT INTO fb_sale_state (merchant_id, sale_id, version, outcome) SELECT merchant_id, sale_id, version, outcome FROM input
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET version = excluded.version, outcome = excluded.outcome
        WHERE fb_sale_state.version < excluded.version
       RETURNING merchant_id, sale_id
     ), admitted AS (
       SELECT i.* FROM input i JOIN gate g USING (merchant_id, sale_id)
     ), wanted AS (
       SELECT a.merchant_id, a.sale_id, a.customer_id, a.shop_id, a.sold_at, w.*
         FROM admitted a, jsonb_to_recordset(a.punches) AS w (line_id text, offer_id bigint, units int, unit_price bigint)
     ), gone AS (
       DELETE FROM punches p USING admitted a WHERE p.merchant_id = a.merchant_id AND p.sale_id = a.sale_id
          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.merchant_id = p.merchant_id AND w.sale_id = p.sale_id AND w.line_id = p.line_id AND w.offer_id = p.offer_id)
     ), kept AS (
       INSERT INTO punches (merchant_id, sale_id, line_id, offer_id, customer_id, shop_id, units, unit_price, sold_at)
       SELECT merchant_id, sale_id, line_id, offer_id, customer_id, shop_id, units, unit_price, sold_at FROM wanted
       ON CONFLICT (merchant_id, sale_id, line_id, offer_id) DO UPDATE SET
         customer_id = excluded.customer_id, shop_id = excluded.shop_id, units = excluded.units, unit_price = excluded.unit_price, sold_at = excluded.sold_at
     )
     SELECT ord::int FROM admitted`,
    values: [JSON.stringify(input)],
  });
  const admitted = sales.map(() => false);
  for (const r of rows) admitted[r.ord - 1] = true;
  return admitted;
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
    await transitionClaims(db, claimIds, ['held', 'new', 'denied', 'resubmitted'], {
      actor: 'sale stream',
      to: 'cancelled',
      note: `sale ${saleId} was voided`,
    });
    // A claim already batched or credited stays: the distributor has it; the history says why it is wrong.
    await db.query(
      `INSERT INTO claim_events (claim_id, actor, from_status, to_status, note)
       SELECT id, 'sale stream', status, status, $2 FROM claims WHERE id = ANY($1::bigint[]) AND status IN ('batched', 'credited')`,
      [claimIds, `sale ${saleId} was voided after this claim reached the distributor`],
    );
  }
  return rows.map((r) => r.id);
}
