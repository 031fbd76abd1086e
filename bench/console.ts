/**
 * The console case of `npm run bench`: 1,000,000 decided sales over 100 merchants (scaled by BENCH_SCALE),
 * bulk-loaded with SQL into the tables the service writes, then the console's own /admin/api routes timed
 * through the running API: search by receipt number, email, Sale ID and name, the sale page, and the
 * rules preview over a busy merchant's last 30 days. EXPLAIN (ANALYZE) of the search statements goes to
 * bench/logs/console-explain.txt.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { saleSearchSql, customerSearchSql, searchParams } from '../src/sales/store/search.js';
import { searchKey } from '../src/sales/searchKey.js';
import type { Pool } from '../src/db/pool.js';
import { normalizeXSale } from '../src/lightspeed/x/sale10.js';
import { xRegisterSaleSchema } from '../src/lightspeed/x/sale10.js';
import { emptyReferenceData } from '../src/lightspeed/refs/types.js';
import { evaluationContextSchema } from '../src/rules/evaluationContext.js';
import { evaluate } from '../src/rules/evaluate.js';
import { rulesSchema } from '../src/rules/rules.js';
import { xRegisterSale } from './data.js';
import { logDir } from './processes.js';
import { percentile, round } from './stats.js';

export const CONSOLE_MERCHANTS = 100;
/** The rules every bench merchant has (version 1): a sale with a customer earns 1 point per dollar at once. */
export const CONSOLE_RULES = { autoRewards: { startDate: '2000-01-01' } };

// Placeholders the SQL replaces per sale; the dates and the version are values the normalizer and the
// rules engine accept, so the templates are what the real code makes of a real payload.
const SALE = 'bench-sale-id';
const CUST = 'bench-customer-id';
const EMAIL = 'bench-customer@example.com';
const FIRST = 'BenchFirst';
const LAST = 'BenchLast';
const RECEIPT = '424242';
const VERSION = 987654321;
const AT = '2001-02-03T04:05:06.000Z';
const DECIDED = '2001-02-03T04:05:08.000Z';

const FIRST_NAMES = [
  'Hélène',
  'Marc',
  'Émilie',
  'François',
  'Julie',
  'Noémie',
  'Jérôme',
  'Chloé',
  'Louis',
  'Anaïs',
  'Benoît',
  'Sophie',
  'André',
  'Zoé',
  'Éric',
];
const LAST_NAMES = [
  'Tremblay',
  'Gagnon',
  'Côté',
  'Bélanger',
  'Lévesque',
  'Roy',
  'Bouchard',
  'Gauthier',
  'Morin',
  'Pelletier',
  'Bérubé',
  'Leblanc',
  'Fortin',
  'Gélinas',
  'Ouellet',
  'Dubé',
  'Lavoie',
  'Girard',
  'Thériault',
  'Caron',
];

/** A sale's three stored shapes (inbox payload, canonical snapshot, decision) as text with placeholders. */
function templates(merchantId: string, withCustomer: boolean) {
  const raw = xRegisterSale(1, { id: SALE, version: VERSION, saleDate: AT });
  const payload: Record<string, unknown> = { ...raw, invoice_number: RECEIPT, updated_at: AT };
  if (withCustomer) payload.customer = { ...raw.customer, id: CUST, customer_code: 'C-1', email: EMAIL, first_name: FIRST, last_name: LAST };
  else Object.assign(payload, { customer_id: null, customer: null });
  if (withCustomer) payload.customer_id = CUST;
  const sale = normalizeXSale(merchantId, xRegisterSaleSchema.parse(payload), emptyReferenceData());
  const rules = { ...rulesSchema.parse(CONSOLE_RULES), version: 1 };
  const decision = evaluate(
    sale,
    rules,
    evaluationContextSchema.parse({ now: DECIDED, timezone: 'America/Montreal', merchantCreatedAt: '2000-01-01T00:00:00Z' }),
  );
  return { payload: JSON.stringify(payload), sale: JSON.stringify(sale), decision: JSON.stringify(decision), status: decision.status, points: decision.points };
}

/** SQL that fills a template's placeholders from the staging row `b`. */
const fill = (column: string) =>
  `replace(replace(replace(replace(replace(replace(replace(replace(replace(${column},
     '${SALE}', b.sale_id), '${CUST}', coalesce(b.customer_id, '')), '${EMAIL}', coalesce(b.email, '')), '${FIRST}', b.first_name), '${LAST}', b.last_name),
     '"${RECEIPT}"', '"' || b.receipt || '"'), '${VERSION}', b.version::text), '${AT}', b.at_text), '${DECIDED}', b.decided_text)::jsonb`;

const BULK_TABLES = ['sale_events', 'decisions', 'sale_state', 'ledger_entries', 'sale_lines', 'sale_snapshots'];

export interface ConsoleLoad {
  sales: number;
  merchants: number;
  customers: number;
  busyMerchant: string;
  busySalesIn30Days: number;
  loadSeconds: number;
  rows: Record<string, number>;
}

/**
 * Writes `sales` decided X-Series sales: 9 in 10 with a customer (credited), 1 in 10 a walk-in (none),
 * one inbox row each, its decision, state, ledger entry, line index, snapshot, and the customers with
 * their balances and names. Merchant 0 is the busy one: all its sales in the last 30 days.
 */
export async function loadConsoleData(pool: Pool, sales: number, merchantIds: string[]): Promise<ConsoleLoad> {
  const started = performance.now();
  const m = merchantIds.length;
  const perMerchant = Math.ceil(sales / m);
  const customersPerMerchant = Math.max(10, Math.round(perMerchant / 10));
  const withCustomer = templates(merchantIds[0]!, true);
  const walkIn = templates(merchantIds[0]!, false);
  const client = await pool.connect();
  let built = async () => {};
  const step = async (label: string, sql: string, values: unknown[] = []) => {
    const t = performance.now();
    await client.query(sql, values);
    console.log(`console bench: ${label} in ${round((performance.now() - t) / 1000, 1)} s`);
  };
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET work_mem = '256MB'`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    // The rows are consistent by construction: skip the per-row foreign-key triggers while loading
    // (superuser only; without it the load is slower, not different).
    await client.query(`SET session_replication_role = replica`).catch(() => console.log('console bench: foreign keys checked row by row (not a superuser)'));
    // Secondary indexes are built once after the load (what a restore does), not row by row: the same
    // definitions, read from the catalog and created again below.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [BULK_TABLES],
    );
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    built = async () => {
      if (!indexes.length) return;
      const t = performance.now();
      for (const index of indexes.splice(0)) await client.query(index.def);
      console.log(`console bench: secondary indexes built in ${round((performance.now() - t) / 1000, 1)} s`);
    };
    const base = (
      await client.query<{ e: string; d: string }>(
        `SELECT nextval(pg_get_serial_sequence('sale_events', 'id')) AS e, nextval(pg_get_serial_sequence('decisions', 'id')) AS d`,
      )
    ).rows[0]!;
    await step(
      'staging rows',
      `CREATE UNLOGGED TABLE bench_console_sales AS
       SELECT g, k, merchant_id, sale_id, receipt, version, customer_id,
              CASE WHEN customer_id IS NULL THEN NULL ELSE 'c' || c || '.' || merchant_id || '@example.com' END AS email,
              ($6::text[])[1 + c % cardinality($6::text[])] AS first_name, ($7::text[])[1 + (c / cardinality($6::text[])) % cardinality($7::text[])] AS last_name,
              at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at_text,
              to_char((at + interval '2 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS decided_text,
              $4::bigint + g AS event_id, $5::bigint + g AS decision_id
         FROM (
           SELECT g, k, ($8::text[])[1 + m] AS merchant_id, md5('sale-' || g)::uuid::text AS sale_id, (1001 + k)::text AS receipt, 1000000 + k AS version,
                  CASE WHEN k % 10 = 9 THEN NULL ELSE md5('customer-' || m || '-' || (k * 7919) % $3)::uuid::text END AS customer_id, (k * 7919) % $3 AS c,
                  date_trunc('milliseconds', now() - CASE WHEN m = 0 THEN interval '30 days' ELSE interval '365 days' END * ((k + 0.5) / $2)) AS at
             FROM (SELECT g, (g - 1) % $9 AS m, (g - 1) / $9 AS k FROM generate_series(1, $1::int) g) i
         ) s`,
      [sales, perMerchant, customersPerMerchant, base.e, base.d, FIRST_NAMES, LAST_NAMES, merchantIds, m],
    );
    await step(
      'sale_events',
      `INSERT INTO sale_events (id, merchant_id, sale_id, version, source, payload, signature_variant, received_at, status, processed_at, attempts, receipt)
       SELECT b.event_id, b.merchant_id, b.sale_id, b.version, 'webhook', ${fill(`CASE WHEN b.customer_id IS NULL THEN $2 ELSE $1 END`)}, 'hmac-sha256',
              b.at + interval '1 second', 'done', b.at + interval '2 seconds', 1, b.receipt
         FROM bench_console_sales b`,
      [withCustomer.payload, walkIn.payload],
    );
    await step(
      'decisions',
      `INSERT INTO decisions (id, merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision, created_at)
       SELECT b.decision_id, b.merchant_id, b.sale_id, b.version, b.event_id, 1,
              CASE WHEN b.customer_id IS NULL THEN $3 ELSE $4 END, CASE WHEN b.customer_id IS NULL THEN $5::int ELSE $6::int END, true, b.customer_id,
              ${fill(`CASE WHEN b.customer_id IS NULL THEN $2 ELSE $1 END`)}, b.at + interval '2 seconds'
         FROM bench_console_sales b`,
      [withCustomer.decision, walkIn.decision, walkIn.status, withCustomer.status, walkIn.points, withCustomer.points],
    );
    await step(
      'sale_state',
      `INSERT INTO sale_state (merchant_id, sale_id, applied_version, points, customer_id, decision_id)
       SELECT b.merchant_id, b.sale_id, b.version, CASE WHEN b.customer_id IS NULL THEN $1::int ELSE $2::int END, b.customer_id, b.decision_id FROM bench_console_sales b`,
      [walkIn.points, withCustomer.points],
    );
    await step(
      'ledger_entries',
      `INSERT INTO ledger_entries (merchant_id, customer_id, sale_id, kind, points, status, available_at, decision_id, idempotency_key, created_at)
       SELECT b.merchant_id, b.customer_id, b.sale_id, 'earn', $1::int, 'posted', b.at + interval '2 seconds', b.decision_id,
              'sale:' || b.sale_id || ':v' || b.version || ':0>' || $1::int, b.at + interval '2 seconds'
         FROM bench_console_sales b WHERE b.customer_id IS NOT NULL`,
      [withCustomer.points],
    );
    await step(
      'sale_lines',
      `INSERT INTO sale_lines (merchant_id, line_id, sale_id)
       SELECT b.merchant_id, b.sale_id || l.suffix, b.sale_id FROM bench_console_sales b, (VALUES ('-l1'), ('-l2')) AS l (suffix)`,
    );
    await step(
      'sale_snapshots',
      `INSERT INTO sale_snapshots (merchant_id, sale_id, version, completed_at, sale)
       SELECT b.merchant_id, b.sale_id, b.version, b.at, ${fill(`CASE WHEN b.customer_id IS NULL THEN $2 ELSE $1 END`)} FROM bench_console_sales b`,
      [withCustomer.sale, walkIn.sale],
    );
    await step(
      'customers',
      `INSERT INTO customers (merchant_id, customer_id, email, available, pending)
       SELECT b.merchant_id, b.customer_id, max(b.email), count(*) * $1::int, 0 FROM bench_console_sales b WHERE b.customer_id IS NOT NULL GROUP BY 1, 2`,
      [withCustomer.points],
    );
    const names = (
      await client.query<{ merchant_id: string; customer_id: string; first_name: string; last_name: string }>(
        `SELECT DISTINCT ON (merchant_id, customer_id) merchant_id, customer_id, first_name, last_name FROM bench_console_sales WHERE customer_id IS NOT NULL`,
      )
    ).rows;
    // The search keys are made by the same function the service uses when it stores a name.
    await step(
      'customer_names',
      `INSERT INTO customer_names (merchant_id, customer_id, name, family_name, search_name, search_family)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        names.map((n) => n.merchant_id),
        names.map((n) => n.customer_id),
        names.map((n) => `${n.first_name} ${n.last_name}`),
        names.map((n) => n.last_name),
        names.map((n) => searchKey(`${n.first_name} ${n.last_name}`)),
        names.map((n) => searchKey(n.last_name)),
      ],
    );
    await client.query(`SELECT setval(pg_get_serial_sequence('sale_events', 'id'), $1), setval(pg_get_serial_sequence('decisions', 'id'), $2)`, [
      Number(base.e) + sales + 1,
      Number(base.d) + sales + 1,
    ]);
    await built();
    await client.query(`RESET session_replication_role`).catch(() => undefined);
    await step('analyze', `ANALYZE`);
    const rows: Record<string, number> = {};
    for (const table of ['sale_events', 'decisions', 'sale_state', 'ledger_entries', 'sale_lines', 'sale_snapshots', 'customers', 'customer_names']) {
      rows[table] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
    }
    const busy = (
      await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM sale_snapshots WHERE merchant_id = $1 AND completed_at >= now() - interval '30 days'`, [
        merchantIds[0],
      ])
    ).rows[0]!.n;
    return {
      sales,
      merchants: m,
      customers: rows.customers!,
      busyMerchant: merchantIds[0]!,
      busySalesIn30Days: busy,
      loadSeconds: round((performance.now() - started) / 1000, 1),
      rows,
    };
  } finally {
    // Even when the load failed: the schema is left as the migrations made it.
    await built().catch(() => undefined);
    client.release();
  }
}

interface Target {
  merchantId: string;
  saleId: string;
  receipt: string;
  email: string | null;
  family: string;
}

async function targets(pool: Pool, n: number): Promise<Target[]> {
  const total = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_console_sales`)).rows[0]!.n;
  const picks = Array.from({ length: n }, () => 1 + Math.floor(Math.random() * total));
  const { rows } = await pool.query<Target>(
    `SELECT merchant_id AS "merchantId", sale_id AS "saleId", receipt, email, last_name AS family FROM bench_console_sales WHERE g = ANY($1::int[])`,
    [picks],
  );
  return rows;
}

async function timed(
  count: number,
  concurrency: number,
  request: (i: number) => Promise<Response>,
): Promise<{ p50: number; p99: number; max: number; errors: number }> {
  const ms: number[] = [];
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const res = await request(i);
        await res.arrayBuffer();
        ms.push(performance.now() - t);
        if (!res.ok) errors += 1;
      }
    }),
  );
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50), 1), p99: round(percentile(ms, 99), 1), max: round(ms.at(-1) ?? NaN, 1), errors };
}

/** EXPLAIN (ANALYZE, BUFFERS) of each search statement on one target; the plans go to a log file. */
async function explainSearches(pool: Pool, t: Target): Promise<Record<string, { ms: number; seqScans: string[] }>> {
  const out: Record<string, { ms: number; seqScans: string[] }> = {};
  const text: string[] = [];
  const cases: Array<[string, string, string | null]> = [
    ['receipt', t.receipt, t.merchantId],
    ['receipt, all merchants', t.receipt, null],
    ['saleId', t.saleId, null],
    ['email', t.email ?? 'nobody@example.com', null],
    ['name', searchKey(t.family).slice(0, 5), null],
  ];
  for (const [label, q, merchantId] of cases) {
    for (const [kind, sql] of [
      ['sales', saleSearchSql],
      ['customers', customerSearchSql],
    ] as const) {
      const params = searchParams(q, merchantId, 20);
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, kind === 'sales' ? params.sales : params.customers);
      const plan = rows.map((r) => r['QUERY PLAN']);
      text.push(`--- ${label} (${kind}): q=${JSON.stringify(q)} merchant=${merchantId ?? 'all'}`, ...plan, '');
      const exec = /Execution Time: ([\d.]+) ms/.exec(plan.join('\n'));
      out[`${label} (${kind})`] = { ms: exec ? Number(exec[1]) : NaN, seqScans: plan.filter((l) => l.includes('Seq Scan')).map((l) => l.trim()) };
    }
  }
  writeFileSync(path.join(logDir, 'console-explain.txt'), `${text.join('\n')}\n`);
  return out;
}

/** Times the console's routes through the API at `apiUrl` with an admin token (platform scope). */
export async function measureConsole(pool: Pool, apiUrl: string, token: string, load: ConsoleLoad, requests: number) {
  const picks = await targets(pool, requests);
  const withEmail = picks.filter((p) => p.email);
  const headers = { authorization: `Bearer ${token}` };
  const get = (p: string) => fetch(`${apiUrl}${p}`, { headers });
  const search = (q: string, merchantId?: string) => get(`/admin/api/search?${new URLSearchParams({ q, ...(merchantId ? { merchantId } : {}) })}`);
  const at = (i: number) => picks[i % picks.length]!;
  // Warm-up: the first requests pay for connections and prepared plans.
  await timed(50, 4, (i) => search(at(i).receipt, at(i).merchantId));
  // One request at a time: the figure is the latency a person waits for, not a throughput under load.
  const concurrency = 1;
  const results = {
    receipt: await timed(requests, concurrency, (i) => search(at(i).receipt, at(i).merchantId)),
    receiptAllMerchants: await timed(requests, concurrency, (i) => search(at(i).receipt)),
    email: await timed(requests, concurrency, (i) => search(withEmail[i % withEmail.length]!.email!)),
    saleId: await timed(requests, concurrency, (i) => search(at(i).saleId)),
    name: await timed(requests, concurrency, (i) => search(at(i).family.slice(0, 5))),
    salePage: await timed(requests, concurrency, (i) => get(`/admin/api/merchants/${at(i).merchantId}/sales/${at(i).saleId}`)),
  };
  // The preview: a draft that halves the earn rate changes every sale with a customer.
  const draft = { ...CONSOLE_RULES, earn: { stepAmount: 200 } };
  const previewMs: number[] = [];
  let preview: { salesEvaluated?: number; changedCount?: number } = {};
  for (let i = 0; i < 5; i += 1) {
    const t = performance.now();
    const res = await fetch(`${apiUrl}/admin/api/merchants/${load.busyMerchant}/rules/preview`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ rules: draft, days: 30 }),
    });
    preview = (await res.json()) as typeof preview;
    if (!res.ok) throw new Error(`preview answered ${res.status}: ${JSON.stringify(preview)}`);
    previewMs.push(performance.now() - t);
  }
  previewMs.sort((a, b) => a - b);
  const explain = await explainSearches(pool, picks.find((p) => p.email) ?? picks[0]!);
  return {
    requestsPerKind: requests,
    concurrency,
    ...results,
    preview: {
      runs: previewMs.length,
      medianMs: round(previewMs[Math.floor(previewMs.length / 2)]!, 0),
      maxMs: round(previewMs.at(-1)!, 0),
      salesEvaluated: preview.salesEvaluated,
      changedCount: preview.changedCount,
    },
    explain,
  };
}

/** What the case needs from bench/run.ts: its pool and helpers, and where the API listens. */
export interface ConsoleCaseDeps {
  pool: Pool;
  scale: number;
  apiUrl: string;
  token: string;
  merchant: (id: string, series: 'x' | 'r', rules: Record<string, unknown>) => Promise<void>;
  /** Starts the API and returns a function that stops it. */
  startApi: () => Promise<() => Promise<void>>;
}

/** The whole case: merchants, the bulk load, then the timings through a freshly started API. */
export async function consoleCase(deps: ConsoleCaseDeps) {
  const ids = Array.from({ length: CONSOLE_MERCHANTS }, (_, i) => `con-${String(i).padStart(3, '0')}`);
  for (const id of ids) await deps.merchant(id, 'x', CONSOLE_RULES);
  const load = await loadConsoleData(deps.pool, Math.round(1_000_000 * deps.scale), ids);
  console.log(`console bench: ${load.sales} sales loaded in ${load.loadSeconds} s`);
  const stopApi = await deps.startApi();
  try {
    const measured = await measureConsole(deps.pool, deps.apiUrl, deps.token, load, Math.max(100, Math.round(500 * Math.min(1, deps.scale * 10))));
    return { load, ...measured };
  } finally {
    await stopApi();
    await deps.pool.query(`DROP TABLE IF EXISTS bench_console_sales`);
  }
}
