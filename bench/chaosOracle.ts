import type { Pool } from '../src/db/pool.js';
import { rebuildInsights } from '../src/insights/store/rebuild.js';
import { oracle, type Expected, type Plan } from './chaosPlan.js';

/** What a drill hands every check: the database it ran on and what it sent. */
export interface OracleInput {
  pool: Pool;
  plans: Plan[];
  /** Inbox event ids the API answered 200 with (a delivery it accepted). */
  acceptedEventIds: Set<number>;
  /** The oracle computed as the sales were made (the soak keeps no payloads); else from `plans`. */
  expected?: Expected;
}

export interface CheckResult {
  name: string;
  passed: number;
  failures: string[];
}

/**
 * One question asked of the service's state after a drill. Add a check by appending a function to
 * `ORACLE_CHECKS` (each counts its own passes and failures; a check that does not apply returns 0 and []).
 */
export type OracleCheck = (input: OracleInput) => Promise<CheckResult>;

/** Every sale's ledger entries sum to what the rules engine gives its final state. */
export const salesMatch: OracleCheck = async ({ pool, plans, expected: given }) => {
  const expected = given ?? (await expectedOf(pool, plans));
  const { rows } = await pool.query<{ key: string; points: number }>(
    `SELECT d.merchant_id || '/' || d.sale_id AS key, coalesce(sum(l.points), 0)::int AS points
       FROM decisions d JOIN ledger_entries l ON l.decision_id = d.id GROUP BY 1`,
  );
  const credited = new Map(rows.map((r) => [r.key, r.points]));
  let passed = 0;
  const failures: string[] = [];
  for (const [key, e] of expected) {
    const got = credited.get(key) ?? 0;
    if (got === e.points) passed += 1;
    else failures.push(`${key}: credited ${got}, oracle ${e.points}`);
  }
  return { name: 'sales', passed, failures };
};

/** Every customer's balance (available + pending) is the sum of its sales' oracle points, pending never negative. */
export const balancesMatch: OracleCheck = async ({ pool, plans, expected: given }) => {
  const expected = given ?? (await expectedOf(pool, plans));
  const perCustomer = new Map<string, number>();
  for (const e of expected.values()) perCustomer.set(`${e.merchantId}/${e.customer}`, (perCustomer.get(`${e.merchantId}/${e.customer}`) ?? 0) + e.points);
  const { rows } = await pool.query<{ key: string; total: number; pending: number }>(
    `SELECT merchant_id || '/' || customer_id AS key, (available + pending)::int AS total, pending::int FROM customers`,
  );
  const balance = new Map(rows.map((b) => [b.key, b]));
  let passed = 0;
  const failures: string[] = [];
  for (const [key, points] of perCustomer) {
    const b = balance.get(key);
    if (b && b.total === points && b.pending >= 0) passed += 1;
    else failures.push(`customer ${key}: balance ${b?.total ?? 'missing'} (pending ${b?.pending ?? '-'}), oracle ${points}`);
  }
  return { name: 'balances', passed, failures };
};

/** Every delivery answered 200 is in the inbox and processed: an accepted delivery is never lost. */
export const acceptedProcessed: OracleCheck = async ({ pool, acceptedEventIds }) => {
  if (!acceptedEventIds.size) return { name: 'accepted deliveries', passed: 0, failures: [] };
  const ids = [...acceptedEventIds];
  const { rows } = await pool.query<{ id: number }>(`SELECT id FROM sale_events WHERE id = ANY($1::bigint[]) AND status = 'done'`, [ids]);
  const done = new Set(rows.map((r) => Number(r.id)));
  const lost = ids.filter((id) => !done.has(id));
  return {
    name: 'accepted deliveries',
    passed: ids.length - lost.length,
    failures: lost.length ? [`${lost.length} deliveries answered 200 are not processed, e.g. event ${lost.slice(0, 5).join(', ')}`] : [],
  };
};

/** Nothing left in the inbox unprocessed (received, waiting for an order, or failed). */
export const inboxDrained: OracleCheck = async ({ pool }) => {
  const { rows } = await pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM sale_events WHERE status <> 'done' GROUP BY 1`);
  return {
    name: 'inbox drained',
    passed: rows.length ? 0 : 1,
    failures: rows.map((r) => `${r.n} inbox events left ${r.status}`),
  };
};

/** What the Insights figures read, per table, in a stable order (rows the upkeep left at zero are no figure). */
const INSIGHT_TABLES: Array<[string, string]> = [
  [
    'insight_sales',
    `SELECT sale_id, decision_id, day, outlet_id, register_id, cashier_id, cause, counted, has_customer, points, pending, reversed, first_source, delay_bucket
       FROM insight_sales WHERE merchant_id = $1 ORDER BY sale_id`,
  ],
  [
    'insight_rollups',
    `SELECT day, outlet_id, register_id, cashier_id, cause, sales, with_customer, points, pending, reversed FROM insight_rollups
      WHERE merchant_id = $1 AND (sales, with_customer, points, pending, reversed) <> (0, 0, 0, 0, 0) ORDER BY 1, 2, 3, 4, 5`,
  ],
  [
    'insight_days',
    `SELECT day, cause, sales, with_customer, points, pending, reversed FROM insight_days
      WHERE merchant_id = $1 AND (sales, with_customer, points, pending, reversed) <> (0, 0, 0, 0, 0) ORDER BY 1, 2`,
  ],
  [
    'insight_attach',
    `SELECT day, dimension, id, sales, with_customer FROM insight_attach WHERE merchant_id = $1 AND (sales, with_customer) <> (0, 0) ORDER BY 1, 2, 3`,
  ],
  ['insight_intake', `SELECT day, source, delay_bucket, sales FROM insight_intake WHERE merchant_id = $1 AND sales <> 0 ORDER BY 1, 2, 3`],
  ['insight_sale_exemptions', `SELECT sale_id, kind, exempt_id, day, points FROM insight_sale_exemptions WHERE merchant_id = $1 ORDER BY 1, 2, 3`],
  [
    'insight_exemptions',
    `SELECT day, kind, exempt_id, sales, points FROM insight_exemptions WHERE merchant_id = $1 AND (sales, points) <> (0, 0) ORDER BY 1, 2, 3`,
  ],
  [
    'insight_points',
    `SELECT day, earned, pending_in, released, reversed, adjusted FROM insight_points
      WHERE merchant_id = $1 AND (earned, pending_in, released, reversed, adjusted) <> (0, 0, 0, 0, 0) ORDER BY 1`,
  ],
];

/**
 * The Insights rollups the ledger's transactions kept under the drill's faults equal a rebuild from the
 * stored decisions and entries (`npm run insights -- rebuild`): no sale counted twice or lost. One pass
 * per merchant and table. It rebuilds, so it runs after the checks that read the ledger.
 */
export const insightsMatchRebuild: OracleCheck = async ({ pool }) => {
  const snapshot = async (merchantId: string) => {
    const out = new Map<string, string>();
    for (const [table, sql] of INSIGHT_TABLES) out.set(table, JSON.stringify((await pool.query(sql, [merchantId])).rows));
    return out;
  };
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM merchants ORDER BY id`);
  let passed = 0;
  const failures: string[] = [];
  for (const { id } of rows) {
    const maintained = await snapshot(id);
    await rebuildInsights(pool, id);
    const rebuilt = await snapshot(id);
    for (const [table] of INSIGHT_TABLES) {
      if (maintained.get(table) === rebuilt.get(table)) passed += 1;
      else failures.push(`merchant ${id}: ${table} maintained ≠ rebuilt (${maintained.get(table)!.slice(0, 200)} vs ${rebuilt.get(table)!.slice(0, 200)})`);
    }
  }
  return { name: 'insights rollups = rebuild', passed, failures };
};

export const ORACLE_CHECKS: OracleCheck[] = [salesMatch, balancesMatch, acceptedProcessed, inboxDrained, insightsMatchRebuild];

const expectedCache = new WeakMap<Plan[], ReturnType<typeof oracle>>();
async function expectedOf(pool: Pool, plans: Plan[]): Promise<ReturnType<typeof oracle>> {
  const cached = expectedCache.get(plans);
  if (cached) return cached;
  const { rows } = await pool.query<{ created_at: Date }>(`SELECT created_at FROM merchants WHERE id = 'chaos-a'`);
  const expected = oracle(plans, rows[0]!.created_at);
  expectedCache.set(plans, expected);
  return expected;
}

/** Runs every check; prints the failures (20 at most) and the closing `N passed, M failed` line. */
export async function runOracle(input: OracleInput, label: string, checks: OracleCheck[] = ORACLE_CHECKS): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  const failures: string[] = [];
  const parts: string[] = [];
  for (const check of checks) {
    const result = await check(input);
    passed += result.passed;
    failures.push(...result.failures);
    parts.push(`${result.name} ${result.passed} ok${result.failures.length ? `, ${result.failures.length} wrong` : ''}`);
  }
  console.log(`${label}: ${parts.join('; ')}`);
  for (const f of failures.slice(0, 20)) console.log(`  FAIL ${f}`);
  console.log(`${label}: ${passed} passed, ${failures.length} failed`);
  return { passed, failed: failures.length };
}
