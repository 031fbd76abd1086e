import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_SALE_STATES_SQL, readSaleStates } from '../../../src/ledger/store/saleStateRead.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  for (const id of ['scale-a', 'scale-b']) await createXMerchant(ctx.pool, { id, domainPrefix: id });
  // 2,000 pending entries ("rewarded after N days"), of sales other than the batch's, in two merchants.
  await ctx.pool.query(
    `INSERT INTO ledger_entries (merchant_id, customer_id, sale_id, kind, points, status, available_at, idempotency_key)
     SELECT CASE WHEN n % 2 = 0 THEN 'scale-a' ELSE 'scale-b' END, 'c' || (n % 50), 'other-' || n, 'earn', 10, 'pending',
            now() + interval '14 days', 'other-' || n
       FROM generate_series(1, 2000) AS n`,
  );
  // The batch's own sales: two pending entries for one, none for the other.
  await ctx.pool.query(
    `INSERT INTO ledger_entries (merchant_id, customer_id, sale_id, kind, points, status, available_at, idempotency_key)
     VALUES ('scale-a', 'jane', 'mine-1', 'earn', 30, 'pending', '2026-12-20T00:00:00Z', 'mine-1-a'),
            ('scale-a', 'jane', 'mine-1', 'earn', 12, 'pending', '2026-12-21T00:00:00Z', 'mine-1-b')`,
  );
  // No ANALYZE: the plan must hold without fresh statistics too (autovacuum off, or a busy day's new rows).
});

afterAll(async () => {
  await ctx.cleanup();
});

/** Rows every scan of ledger_entries in the plan read (kept or filtered out, × loops), from EXPLAIN ANALYZE. */
function ledgerRowsRead(plan: Record<string, unknown>): number {
  const read = Number(plan['Actual Rows']) + Number(plan['Rows Removed by Filter'] ?? 0) + Number(plan['Rows Removed by Index Recheck'] ?? 0);
  const own = plan['Relation Name'] === 'ledger_entries' ? read * Number(plan['Actual Loops']) : 0;
  const children = (plan.Plans as Array<Record<string, unknown>> | undefined) ?? [];
  return own + children.reduce((sum, child) => sum + ledgerRowsRead(child), 0);
}

describe("the worker's batch read of sale states", () => {
  it("reads a sale's pending points without reading other sales' pending entries", async () => {
    const states = await readSaleStates(ctx.pool, [
      { merchantId: 'scale-a', saleId: 'mine-1' },
      { merchantId: 'scale-a', saleId: 'mine-2' },
    ]);
    expect(states.map((s) => s.pending.points)).toEqual([42, 0]);
    expect(states[0]!.pending.latest?.toISOString()).toBe('2026-12-21T00:00:00.000Z');
    expect(states[1]!.pending.latest).toBeNull();

    // The statement the worker runs per batch (named, so the same text): its cost must follow the batch,
    // not every pending entry of every merchant (the soak slowed down as pending entries piled up).
    const client = await ctx.pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_custom_plan');
      const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: Record<string, unknown> }> }>({
        text: `EXPLAIN (ANALYZE, FORMAT JSON) ${READ_SALE_STATES_SQL}`,
        values: [[], ['scale-a', 'scale-a'], ['mine-1', 'mine-2']],
      });
      expect(ledgerRowsRead(rows[0]!['QUERY PLAN'][0]!.Plan)).toBeLessThanOrEqual(10);
    } finally {
      client.release();
    }
  });
});
