import type { Db } from '../../db/pool.js';

/** One sale version at the frequent-buyer gate, with the punches it counts. */
export interface GatedSale {
  merchantId: string;
  saleId: string;
  version: number;
  /** Kept on the gate row for the sale view. */
  outcome: Record<string, unknown>;
  punches: Array<{ lineId: string; offerId: number; units: number; unitPrice: number }>;
  customerId: string | null;
  shopId: string | null;
  soldAt: string | null;
}

/**
 * Admits each version through its sale's gate (fb_sale_state: once, and only forward) and, only then, makes
 * that sale's punches exactly what it counts: rows no longer counted are deleted, the others upserted.
 * One statement for all the sales (never two versions of one sale); per sale, whether it was admitted.
 */
export async function admitAndPunch(db: Db, sales: GatedSale[]): Promise<boolean[]> {
  const input = sales.map((s) => ({
    merchant_id: s.merchantId,
    sale_id: s.saleId,
    version: s.version,
    outcome: s.outcome,
    punches: s.punches.map((p) => ({ line_id: p.lineId, offer_id: p.offerId, units: p.units, unit_price: p.unitPrice })),
    customer_id: s.customerId,
    shop_id: s.shopId,
    sold_at: s.soldAt,
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

/** What an admitted sale did in the end (its redemptions, its voids), kept on its gate row for the sale view. */
export async function recordSaleOutcome(db: Db, merchantId: string, saleId: string, outcome: Record<string, unknown>): Promise<void> {
  await db.query(`UPDATE fb_sale_state SET outcome = $3 WHERE merchant_id = $1 AND sale_id = $2`, [merchantId, saleId, JSON.stringify(outcome)]);
}

/** The customer whose card a sale, or one of these of its lines, punched: a return takes back from that card. */
export async function punchedCustomer(db: Db, merchantId: string, saleId: string | null, lineIds: string[]): Promise<string | null> {
  const { rows } = await db.query<{ customer_id: string }>(
    `SELECT customer_id FROM punches WHERE merchant_id = $1 AND (sale_id = $2 OR line_id = ANY($3::text[])) LIMIT 1`,
    [merchantId, saleId, lineIds],
  );
  return rows[0]?.customer_id ?? null;
}
