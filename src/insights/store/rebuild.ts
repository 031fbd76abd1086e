import type { Db, Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { decisionSchema } from '../../rules/decision.js';
import { saleFact } from '../cause.js';
import { recordSaleFacts } from './upkeep.js';

const PAGE = 2_000;

/** Every merchant, in id order: what `npm run insights -- rebuild` without --merchant goes through. */
export async function merchantIdsToRebuild(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM merchants ORDER BY id`);
  return rows.map((r) => r.id);
}

/**
 * Recomputes a merchant's rollups from the stored decisions (each sale's last applied one) and ledger
 * entries, in one transaction holding the merchant's insights lock exclusively (the upkeep holds it
 * shared), so no sale is counted twice or lost while it runs. Where a sale was rung comes from the
 * previous rollups' sale rows, else from the sale snapshot (sales decided before insights existed).
 * Returns how many sales it counted.
 */
export async function rebuildInsights(pool: Pool, merchantId: string): Promise<number> {
  return withTransaction(pool, async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('insights:' || $1, 0))`, [merchantId]);
    await db.query(
      `CREATE TEMP TABLE insight_rebuild_places ON COMMIT DROP AS
       SELECT sale_id, completed_at, outlet_id, register_id, cashier_id FROM insight_sales WHERE merchant_id = $1`,
      [merchantId],
    );
    await db.query(`ALTER TABLE insight_rebuild_places ADD PRIMARY KEY (sale_id)`);
    for (const table of [
      'insight_sales',
      'insight_rollups',
      'insight_days',
      'insight_attach',
      'insight_intake',
      'insight_points',
      'insight_sale_exemptions',
      'insight_exemptions',
    ])
      await db.query(`DELETE FROM ${table} WHERE merchant_id = $1`, [merchantId]);

    let after = '';
    let counted = 0;
    for (;;) {
      const { rows } = await db.query<{
        sale_id: string;
        decision_id: number;
        decision: unknown;
        completed_at: Date | null;
        outlet_id: string | null;
        register_id: string | null;
        cashier_id: string | null;
        first_decided_at: Date;
      }>(
        `SELECT st.sale_id, d.id AS decision_id, d.decision, coalesce(p.completed_at, sn.completed_at) AS completed_at,
                coalesce(p.outlet_id, sn.sale->>'shopId') AS outlet_id, coalesce(p.register_id, sn.sale->>'registerId') AS register_id,
                coalesce(p.cashier_id, sn.sale->>'cashierId') AS cashier_id,
                (SELECT min(f.created_at) FROM decisions f WHERE f.merchant_id = st.merchant_id AND f.sale_id = st.sale_id AND f.applied) AS first_decided_at
           FROM sale_state st JOIN decisions d ON d.id = st.decision_id
           LEFT JOIN insight_rebuild_places p ON p.sale_id = st.sale_id
           LEFT JOIN sale_snapshots sn ON sn.merchant_id = st.merchant_id AND sn.sale_id = st.sale_id
          WHERE st.merchant_id = $1 AND st.sale_id > $2
          ORDER BY st.sale_id LIMIT $3`,
        [merchantId, after, PAGE],
      );
      if (!rows.length) break;
      await recordSaleFacts(
        db,
        rows.map((r) => ({
          fact: saleFact(merchantId, r.decision_id, decisionSchema.parse(r.decision), r.completed_at?.toISOString() ?? null, {
            outletId: r.outlet_id ?? '',
            registerId: r.register_id ?? '',
            cashierId: r.cashier_id ?? '',
          }),
          firstDecidedAt: r.first_decided_at.toISOString(),
        })),
      );
      counted += rows.length;
      after = rows.at(-1)!.sale_id;
    }

    // The points moved, from the entries themselves (as the migration filled them).
    await db.query(
      `INSERT INTO insight_points (merchant_id, day, earned, pending_in, reversed, adjusted)
       SELECT e.merchant_id, (e.created_at AT TIME ZONE m.timezone)::date,
              coalesce(sum(e.points) FILTER (WHERE e.kind = 'earn'), 0),
              coalesce(sum(e.points) FILTER (WHERE e.status = 'pending' OR e.released_at IS NOT NULL), 0),
              coalesce(sum(e.points) FILTER (WHERE e.kind = 'reverse'), 0), coalesce(sum(e.points) FILTER (WHERE e.kind = 'adjust'), 0)
         FROM ledger_entries e JOIN merchants m ON m.id = e.merchant_id WHERE e.merchant_id = $1 GROUP BY 1, 2`,
      [merchantId],
    );
    await db.query(
      `INSERT INTO insight_points AS p (merchant_id, day, released)
       SELECT e.merchant_id, (e.released_at AT TIME ZONE m.timezone)::date, sum(e.points)
         FROM ledger_entries e JOIN merchants m ON m.id = e.merchant_id WHERE e.merchant_id = $1 AND e.released_at IS NOT NULL GROUP BY 1, 2
       ON CONFLICT (merchant_id, day) DO UPDATE SET released = p.released + excluded.released`,
      [merchantId],
    );
    return counted;
  });
}
