/**
 * Insights (issue 25): the Insights API's p99 on a year of rollups for a merchant with 1,000,000 sales
 * (bulk-loaded into the tables the upkeep keeps: the figures read nothing else), and one detector pass
 * over 10,000 merchants, with 100 of them with new sales and then all of them (O(merchants with new
 * sales): a pass finds them in insight_detector_due, which the upkeep fills; here the bulk load fills it
 * as the upkeep would). Passes after the first find nothing new. BENCH_ONLY=insights runs it alone.
 */
import type { Pool } from '../src/db/pool.js';
import { runDetectorPass } from '../src/insights/alerts/detectorPass.js';
import type { ConsoleCaseDeps } from './console.js';
import { percentile, round } from './stats.js';

const BIG = 'ins-big';
/** Causes and their weights (of 90) in a store's day: most earn, some do not for a handful of reasons. */
const MIX = `(VALUES ('CREDITED', 60), ('PENDING_UNTIL', 6), ('NO_CUSTOMER', 12), ('AWAITING_REWARDS_BUTTON', 4), ('LINE_CATEGORY_EXEMPT', 3),
              ('BELOW_STEP', 2), ('RETURN', 2), ('SALE_VOIDED', 1)) AS k (cause, weight)`;

/** A year of rollups: 2 outlets × 3 registers × 5 cashiers × 8 causes per day, ≈ sales/365 sales a day. */
async function loadYear(pool: Pool, sales: number): Promise<{ sales: number; rows: number; loadSeconds: number }> {
  const started = Date.now();
  const perUnit = sales / 365 / 30 / 90;
  await pool.query(
    `INSERT INTO insight_rollups (merchant_id, day, outlet_id, register_id, cashier_id, cause, sales, with_customer, points, pending, reversed)
     SELECT $1, d::date, 'outlet-' || o, 'reg-' || o || '-' || r, 'cashier-' || o || '-' || c, k.cause, n, CASE WHEN k.cause = 'NO_CUSTOMER' THEN 0 ELSE n END,
            CASE WHEN k.cause IN ('CREDITED', 'PENDING_UNTIL') THEN n * 40 ELSE 0 END, CASE WHEN k.cause = 'PENDING_UNTIL' THEN n * 40 ELSE 0 END,
            CASE WHEN k.cause = 'RETURN' THEN n * 20 ELSE 0 END
       FROM generate_series(current_date - 364, current_date, '1 day') d, generate_series(1, 2) o, generate_series(1, 3) r, generate_series(1, 5) c, ${MIX},
            LATERAL (SELECT greatest(0, round(k.weight * $2::float8 * (0.8 + 0.4 * random())))::int AS n) x`,
    [BIG, perUnit],
  );
  await summarize(pool, [BIG]);
  await pool.query(
    `INSERT INTO insight_points (merchant_id, day, earned, pending_in, released, reversed, adjusted)
     SELECT $1, d::date, 100000, 10000, 9000, -5000, 100 FROM generate_series(current_date - 364, current_date, '1 day') d`,
    [BIG],
  );
  await pool.query(
    `INSERT INTO insight_intake (merchant_id, day, source, delay_bucket, sales)
     SELECT $1, d::date, s, b, 100 + b FROM generate_series(current_date - 364, current_date, '1 day') d, unnest(ARRAY['webhook', 'poll']) s, generate_series(0, 8) b`,
    [BIG],
  );
  await pool.query(`ANALYZE insight_rollups; ANALYZE insight_days; ANALYZE insight_attach; ANALYZE insight_points; ANALYZE insight_intake`);
  const { rows } = await pool.query<{ sales: number; rows: number }>(
    `SELECT coalesce(sum(sales), 0)::int AS sales, count(*)::int AS rows FROM insight_rollups WHERE merchant_id = $1`,
    [BIG],
  );
  return { ...rows[0]!, loadSeconds: round((Date.now() - started) / 1000, 1) };
}

/**
 * The coarse rollups (day × cause, per-day attach) and the detector's due rows the upkeep would have
 * written with these fine rollup rows: summed from them, as migration 1732500000200 fills them.
 */
async function summarize(pool: Pool, merchantIds: string[]): Promise<void> {
  await pool.query(
    `INSERT INTO insight_days AS d (merchant_id, day, cause, sales, with_customer, points, pending, reversed)
     SELECT merchant_id, day, cause, sum(sales), sum(with_customer), sum(points), sum(pending), sum(reversed)
       FROM insight_rollups WHERE merchant_id = ANY($1::text[]) GROUP BY 1, 2, 3
     ON CONFLICT (merchant_id, day, cause) DO UPDATE SET sales = excluded.sales, with_customer = excluded.with_customer`,
    [merchantIds],
  );
  await pool.query(
    `INSERT INTO insight_attach AS a (merchant_id, day, dimension, id, sales, with_customer)
     SELECT merchant_id, day, v.dimension, v.id, sum(sales), sum(with_customer)
       FROM insight_rollups CROSS JOIN LATERAL (VALUES ('outlet', outlet_id), ('register', register_id), ('cashier', cashier_id)) AS v (dimension, id)
      WHERE merchant_id = ANY($1::text[]) AND cause NOT IN ('RETURN', 'SALE_VOIDED', 'SALE_NOT_COMPLETED') GROUP BY 1, 2, 3, 4
     ON CONFLICT (merchant_id, day, dimension, id) DO UPDATE SET sales = excluded.sales, with_customer = excluded.with_customer`,
    [merchantIds],
  );
}

/** The upkeep's note that these merchants' figures changed on these days (the detector's work list). */
async function markDue(pool: Pool, merchantIds: string[], daysBack: number[]): Promise<void> {
  await pool.query(
    `INSERT INTO insight_detector_due AS q (merchant_id, day) SELECT m, current_date - dd FROM unnest($1::text[]) m, unnest($2::int[]) dd
     ON CONFLICT (merchant_id, day) DO UPDATE SET changes = q.changes + 1`,
    [merchantIds, daysBack],
  );
}

async function timed(count: number, url: () => string, token: string): Promise<{ p50: number; p99: number; max: number; errors: number }> {
  const ms: number[] = [];
  let errors = 0;
  // Two at a time: the console's page asks for its figures once; a few people at once is the load.
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < count) {
        next += 1;
        const t = performance.now();
        const res = await fetch(url(), { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        ms.push(performance.now() - t);
        if (!res.ok) errors += 1;
      }
    }),
  );
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50), 1), p99: round(percentile(ms, 99), 1), max: round(ms.at(-1) ?? NaN, 1), errors };
}

/** 10,000 merchants copied from one (as bench/merchants.ts does), each with 29 days of steady rollups. */
async function loadMerchants(deps: ConsoleCaseDeps, count: number, active: number): Promise<number> {
  const started = Date.now();
  await deps.merchant('det-0', 'x', {});
  await deps.pool.query(
    `INSERT INTO merchants SELECT (jsonb_populate_record(NULL::merchants, to_jsonb(m) || jsonb_build_object(
       'id', 'det-' || g, 'name', 'det-' || g, 'domain_prefix', 'det-' || g, 'url_token', NULL, 'url_token_hash', NULL))).*
       FROM merchants m, generate_series(1, $1 - 1) g WHERE m.id = 'det-0'`,
    [count],
  );
  // The first `active` merchants sold yesterday; the others last sold four days ago (no new sales to look at).
  await deps.pool.query(
    `INSERT INTO insight_rollups (merchant_id, day, outlet_id, register_id, cashier_id, cause, sales, with_customer, points, pending, reversed)
     SELECT 'det-' || g, current_date - dd, 'o', 'r', 'c', k.cause, k.n, CASE WHEN k.cause = 'NO_CUSTOMER' THEN 0 ELSE k.n END, 0, 0, 0
       FROM generate_series(0, $1 - 1) g, generate_series(1, 29) dd, (VALUES ('CREDITED', 40), ('NO_CUSTOMER', 5)) AS k (cause, n)
      WHERE g < $2 OR dd >= 4`,
    [count, active],
  );
  const ids = Array.from({ length: count }, (_, g) => `det-${g}`);
  for (let i = 0; i < ids.length; i += 1_000) await summarize(deps.pool, ids.slice(i, i + 1_000));
  // The active ones sold yesterday: the upkeep noted it, and that day has ended.
  await markDue(deps.pool, ids.slice(0, active), [1]);
  await deps.pool.query(`ANALYZE merchants; ANALYZE insight_rollups; ANALYZE insight_days; ANALYZE insight_attach; ANALYZE insight_detector_due`);
  return round((Date.now() - started) / 1000, 1);
}

async function pass(pool: Pool, runs: number) {
  const out: Array<{ ms: number; examined: number; opened: number; resolved: number }> = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    const r = await runDetectorPass(pool);
    out.push({ ms: round(performance.now() - t, 0), ...r });
  }
  return out;
}

export async function insightsCase(deps: ConsoleCaseDeps & { runs: number }) {
  await deps.merchant(BIG, 'x', {});
  const load = await loadYear(deps.pool, Math.round(1_000_000 * deps.scale));
  console.log(`insights bench: ${load.sales} sales in ${load.rows} rollup rows loaded in ${load.loadSeconds} s`);
  const stopApi = await deps.startApi();
  let api: Record<string, unknown>;
  try {
    const n = 300;
    const url = (q: string) => () => `${deps.apiUrl}/admin/api/merchants/${BIG}/insights?${q}`;
    await timed(20, url('period=30'), deps.token);
    api = {
      days90: await timed(n, url('period=90'), deps.token),
      days365: await timed(n, url('period=365'), deps.token),
      days365ByWeek: await timed(n, url('period=365&by=week'), deps.token),
    };
  } finally {
    await stopApi();
  }

  const merchants = Math.round(10_000 * Math.min(1, deps.scale * 10));
  const loadSeconds = await loadMerchants(deps, merchants, Math.max(1, Math.round(merchants / 100)));
  const fewActive = await pass(deps.pool, deps.runs);
  await deps.pool.query(
    `INSERT INTO insight_rollups (merchant_id, day, outlet_id, register_id, cashier_id, cause, sales, with_customer, points, pending, reversed)
     SELECT 'det-' || g, current_date - dd, 'o', 'r', 'c', k.cause, k.n, CASE WHEN k.cause = 'NO_CUSTOMER' THEN 0 ELSE k.n END, 0, 0, 0
       FROM generate_series(0, $1 - 1) g, generate_series(1, 3) dd, (VALUES ('CREDITED', 40), ('NO_CUSTOMER', 5)) AS k (cause, n)
     ON CONFLICT DO NOTHING`,
    [merchants],
  );
  const ids = Array.from({ length: merchants }, (_, g) => `det-${g}`);
  for (let i = 0; i < ids.length; i += 1_000) await summarize(deps.pool, ids.slice(i, i + 1_000));
  await markDue(deps.pool, ids, [1, 2, 3]);
  const allActive = await pass(deps.pool, deps.runs);
  return { load, api, detector: { merchants, loadSeconds, fewWithNewSales: fewActive, allWithNewSales: allActive } };
}
