import type { Db } from '../../db/pool.js';
import type { Decision } from '../../rules/decision.js';
import type { Sale } from '../../rules/sale.js';
import { saleFact, type SaleFact } from '../cause.js';

/** A fact to record; the rebuild says when the sale was first decided (the upkeep reads it from the decision). */
export interface FactWrite {
  fact: SaleFact;
  firstDecidedAt?: string | null;
}

const KEY = 'merchant_id, day, outlet_id, register_id, cashier_id, cause';
const UPKEEP = 'insights.recordSaleFacts';
const UPKEEP_SQL = `WITH input AS (
       -- Shared per merchant: the rebuild takes it exclusively, so it never interleaves with an upkeep.
       SELECT i.*, pg_advisory_xact_lock_shared(hashtextextended('insights:' || i.merchant_id, 0)) IS NOT NULL AS locked
         FROM jsonb_to_recordset($1::jsonb) AS i (merchant_id text, sale_id text, decision_id bigint, completed_at timestamptz, outlet_id text,
              register_id text, cashier_id text, cause text, counted boolean, has_customer boolean, points int, pending int, reversed int,
              first_decided_at timestamptz, withheld jsonb)
     ), old AS (
       SELECT s.* FROM insight_sales s JOIN input i USING (merchant_id, sale_id)
     ), firsts AS (
       SELECT i.*, coalesce(i.first_decided_at, o.first_decided_at, d.created_at) AS first_at,
              coalesce(o.first_source, (SELECT e.source FROM sale_events e WHERE e.merchant_id = i.merchant_id AND e.sale_id = i.sale_id ORDER BY e.id LIMIT 1), 'unknown') AS source,
              m.timezone
         FROM input i JOIN decisions d ON d.id = i.decision_id JOIN merchants m ON m.id = i.merchant_id
         LEFT JOIN old o ON o.merchant_id = i.merchant_id AND o.sale_id = i.sale_id
        WHERE i.locked
     ), fact AS (
       SELECT merchant_id, sale_id, decision_id, completed_at, first_at AS first_decided_at, (coalesce(completed_at, first_at) AT TIME ZONE timezone)::date AS day,
              outlet_id, register_id, cashier_id, cause, counted, has_customer, points, pending, reversed, source AS first_source, withheld,
              CASE WHEN counted AND completed_at IS NOT NULL
                   THEN least(24, floor(log(2, greatest(1, extract(epoch FROM first_at - completed_at))::numeric)))::smallint ELSE -1 END AS delay_bucket
         FROM firsts
     ), up AS (
       INSERT INTO insight_sales (merchant_id, sale_id, decision_id, completed_at, first_decided_at, day, outlet_id, register_id, cashier_id, cause, counted,
              has_customer, points, pending, reversed, first_source, delay_bucket)
       SELECT merchant_id, sale_id, decision_id, completed_at, first_decided_at, day, outlet_id, register_id, cashier_id, cause, counted,
              has_customer, points, pending, reversed, first_source, delay_bucket FROM fact
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET decision_id = excluded.decision_id, completed_at = excluded.completed_at,
              first_decided_at = excluded.first_decided_at, day = excluded.day, outlet_id = excluded.outlet_id, register_id = excluded.register_id,
              cashier_id = excluded.cashier_id, cause = excluded.cause, counted = excluded.counted, has_customer = excluded.has_customer,
              points = excluded.points, pending = excluded.pending, reversed = excluded.reversed, first_source = excluded.first_source,
              delay_bucket = excluded.delay_bucket
     ), moves AS (
       SELECT ${KEY}, 1 AS n, has_customer::int AS wc, points, pending, reversed, counted, first_source, delay_bucket FROM fact
       UNION ALL
       SELECT ${KEY}, -1, -has_customer::int, -points, -pending, -reversed, counted, first_source, delay_bucket FROM old
     ), delta AS (
       -- What moved per fine-rollup row; a replay moves nothing, so nothing below is written.
       SELECT ${KEY}, bool_or(counted) AS counted, sum(n) AS n, sum(wc) AS wc, sum(points) AS points, sum(pending) AS pending, sum(reversed) AS reversed
         FROM moves GROUP BY ${KEY}
       HAVING (sum(n), sum(wc), sum(points), sum(pending), sum(reversed)) <> (0, 0, 0, 0, 0)
     ), rollup AS (
       -- Each insert sorted, so that two transactions lock the same rows in the same order (no deadlock).
       INSERT INTO insight_rollups AS r (${KEY}, sales, with_customer, points, pending, reversed)
       SELECT ${KEY}, n, wc, points, pending, reversed FROM delta ORDER BY ${KEY}
       ON CONFLICT (${KEY}) DO UPDATE SET sales = r.sales + excluded.sales, with_customer = r.with_customer + excluded.with_customer,
              points = r.points + excluded.points, pending = r.pending + excluded.pending, reversed = r.reversed + excluded.reversed
     ), days AS (
       INSERT INTO insight_days AS d (merchant_id, day, cause, sales, with_customer, points, pending, reversed)
       SELECT merchant_id, day, cause, sum(n), sum(wc), sum(points), sum(pending), sum(reversed) FROM delta GROUP BY 1, 2, 3
       HAVING (sum(n), sum(wc), sum(points), sum(pending), sum(reversed)) <> (0, 0, 0, 0, 0) ORDER BY 1, 2, 3
       ON CONFLICT (merchant_id, day, cause) DO UPDATE SET sales = d.sales + excluded.sales, with_customer = d.with_customer + excluded.with_customer,
              points = d.points + excluded.points, pending = d.pending + excluded.pending, reversed = d.reversed + excluded.reversed
     ), attach AS (
       INSERT INTO insight_attach AS a (merchant_id, day, dimension, id, sales, with_customer)
       SELECT merchant_id, day, v.dimension, v.id, sum(n), sum(wc)
         FROM delta CROSS JOIN LATERAL (VALUES ('outlet', outlet_id), ('register', register_id), ('cashier', cashier_id)) AS v (dimension, id)
        WHERE counted GROUP BY 1, 2, 3, 4 HAVING (sum(n), sum(wc)) <> (0, 0) ORDER BY 1, 2, 3, 4
       ON CONFLICT (merchant_id, day, dimension, id) DO UPDATE SET sales = a.sales + excluded.sales, with_customer = a.with_customer + excluded.with_customer
     ), old_withheld AS (
       SELECT e.* FROM insight_sale_exemptions e JOIN input i USING (merchant_id, sale_id)
     ), new_withheld AS (
       SELECT f.merchant_id, f.sale_id, w.kind, w.exempt_id, f.day, w.points
         FROM fact f CROSS JOIN LATERAL jsonb_to_recordset(f.withheld) AS w (kind text, exempt_id text, points int) WHERE w.points > 0
     ), withheld_gone AS (
       -- The sale's exemptions that withhold nothing any more; those that still do are updated below.
       DELETE FROM insight_sale_exemptions e USING old_withheld o
        WHERE (e.merchant_id, e.sale_id, e.kind, e.exempt_id) = (o.merchant_id, o.sale_id, o.kind, o.exempt_id)
          AND NOT EXISTS (SELECT 1 FROM new_withheld n WHERE (n.merchant_id, n.sale_id, n.kind, n.exempt_id) = (o.merchant_id, o.sale_id, o.kind, o.exempt_id))
     ), withheld_sales AS (
       INSERT INTO insight_sale_exemptions (merchant_id, sale_id, kind, exempt_id, day, points)
       SELECT merchant_id, sale_id, kind, exempt_id, day, points FROM new_withheld ORDER BY 1, 2, 3, 4
       ON CONFLICT (merchant_id, sale_id, kind, exempt_id) DO UPDATE SET day = excluded.day, points = excluded.points
     ), withheld_moves AS (
       SELECT merchant_id, day, kind, exempt_id, 1 AS n, points FROM new_withheld
       UNION ALL
       SELECT merchant_id, day, kind, exempt_id, -1, -points FROM old_withheld
     ), withheld_days AS (
       INSERT INTO insight_exemptions AS x (merchant_id, day, kind, exempt_id, sales, points)
       SELECT merchant_id, day, kind, exempt_id, sum(n), sum(points) FROM withheld_moves GROUP BY 1, 2, 3, 4
       HAVING (sum(n), sum(points)) <> (0, 0) ORDER BY 1, 2, 3, 4
       ON CONFLICT (merchant_id, day, kind, exempt_id) DO UPDATE SET sales = x.sales + excluded.sales, points = x.points + excluded.points
     ), due AS (
       -- The detector looks at this merchant again (src/insights/alerts/detectorPass.ts).
       INSERT INTO insight_detector_due AS q (merchant_id, day) SELECT DISTINCT merchant_id, day FROM delta ORDER BY 1, 2
       ON CONFLICT (merchant_id, day) DO UPDATE SET changes = q.changes + 1
     )
     INSERT INTO insight_intake AS t (merchant_id, day, source, delay_bucket, sales)
     SELECT merchant_id, day, first_source, delay_bucket, sum(n) FROM moves WHERE counted GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
     ON CONFLICT (merchant_id, day, source, delay_bucket) DO UPDATE SET sales = t.sales + excluded.sales`;

const row = ({ fact: f, firstDecidedAt }: FactWrite) => ({
  merchant_id: f.merchantId,
  sale_id: f.saleId,
  decision_id: f.decisionId,
  completed_at: f.completedAt,
  outlet_id: f.outletId,
  register_id: f.registerId,
  cashier_id: f.cashierId,
  cause: f.cause,
  counted: !['RETURN', 'SALE_VOIDED', 'SALE_NOT_COMPLETED'].includes(f.cause),
  has_customer: f.hasCustomer,
  points: f.points,
  pending: f.pending,
  reversed: f.reversed,
  first_decided_at: firstDecidedAt ?? null,
  withheld: f.withheld.map((w) => ({ kind: w.kind, exempt_id: w.exemptId, points: w.points })),
});

/**
 * Moves each sale's contribution to the rollups (points withheld by exemptions included) from its
 * previous fact to this one, in one statement:
 * called in the transaction of the ledger write that applied the decisions, so the figures move exactly
 * when the points do. A repeated fact (a replay) subtracts what it adds: nothing changes. At most one
 * fact per sale per call (the ledger never writes two versions of a sale in one round).
 */
export async function recordSaleFacts(db: Db, facts: FactWrite[]): Promise<void> {
  if (!facts.length) return;
  await db.query({ name: UPKEEP, text: UPKEEP_SQL, values: [JSON.stringify(facts.map(row))] });
}

/** A decision the ledger just applied, with the sale it judged. */
export interface AppliedDecision {
  merchantId: string;
  decisionId: number;
  decision: Decision;
  sale: Sale;
}

let upkeepOn = true;

/** The worker's INSIGHTS_UPKEEP (off only for the bench's baseline: the figures then fall behind until a rebuild). */
export function setInsightsUpkeep(on: boolean): void {
  upkeepOn = on;
}

/**
 * The ledger's one call into insights: records what the decisions it applied change in the figures.
 * Call it with the transaction's client, after the write, with the decisions that write applied.
 */
export async function recordDecisionInsights(db: Db, applied: AppliedDecision[]): Promise<void> {
  if (!upkeepOn) return;
  await recordSaleFacts(
    db,
    applied.map(({ merchantId, decisionId, decision, sale }) => ({
      fact: saleFact(merchantId, decisionId, decision, sale.completedAt, {
        outletId: sale.shopId ?? '',
        registerId: sale.registerId ?? '',
        cashierId: sale.cashierId ?? '',
      }),
    })),
  );
}
