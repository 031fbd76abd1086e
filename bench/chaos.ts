/**
 * `npm run chaos`: a fault drill. Its own redis-server, 3 worker processes and the API; 3,000 sales
 * (completed, voided after completion, returned twice, returned while pending), each delivered 1 to 3
 * times, some versions out of order, some only reachable by the reconciliation poll; meanwhile a random
 * worker is SIGKILLed every 3 s (and replaced) and Redis is stopped once and started empty 5 s later.
 * Then every sale's ledger entries and every customer's balance are compared with an oracle: the rules
 * engine applied in memory to each sale's final state, in order. Ends with `N passed, M failed`.
 */
import type { ChildProcess } from 'node:child_process';
import { ensureDatabase } from '../src/db/migrate.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { emptyReferenceData } from '../src/lightspeed/refs/types.js';
import { normalizeXSale, xRegisterSaleSchema } from '../src/lightspeed/x/sale10.js';

import { normalizeXSale20, xSale20Schema } from '../src/lightspeed/x/sale20.js';
import { insertMerchant } from '../src/merchants/store/repo.js';
import { saveRules } from '../src/ruleVersions/store/rulesRepo.js';
import { evaluationContextSchema } from '../src/rules/evaluationContext.js';
import type { Decision } from '../src/rules/decision.js';
import { evaluate } from '../src/rules/evaluate.js';
import { rulesSchema, type Rules } from '../src/rules/rules.js';
import type { Sale } from '../src/rules/sale.js';
import { RedisServer, freePort } from './redisServer.js';
import { X_GROUP, signedForm, xRegisterSale, xReturn, xSale20 } from './data.js';
import { EVENT_DRILL_ENV, startEventDrill } from './eventDrill.js';
import { FakeLightspeed } from './fakeLightspeed.js';
import { sleep, spawnNode, stop, waitForLine } from './processes.js';

const SALES = Number(process.env.CHAOS_SALES ?? 3_000);
const PG = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const stamp = Date.now().toString(36);
const DB_NAME = `chaos_${stamp}`;
const DATABASE_URL = `${PG}/${DB_NAME}`;
const PREFIX = `{chaos-${stamp}}`;
const SECRET = 'chaos-webhook-secret';
const NOW = new Date();

type Kind = 'completed' | 'voided' | 'returned2' | 'pendingReturn';
interface Delivery {
  merchantId: string;
  payload: Record<string, unknown>;
}
interface Plan {
  i: number;
  kind: Kind;
  merchantId: string;
  customer: number;
  originalId: string;
  /** The original's versions in the order they are delivered by webhook (duplicates included). */
  deliveries: Delivery[];
  /** The final version, as the worker will see it (1.0 webhook or 2.0 poll shape). */
  final: { shape: '1.0' | '2.0'; payload: Record<string, unknown> };
  returns: Array<Record<string, unknown>>;
}

const RULES: Record<string, Rules> = {
  'chaos-a': { ...rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), version: 1 },
  'chaos-b': { ...rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' }, delayDays: 30 }), version: 1 },
};

function plan(i: number): Plan {
  const kinds: Kind[] = ['completed', 'voided', 'returned2', 'pendingReturn'];
  const kind = kinds[i % 4]!;
  const merchantId = kind === 'pendingReturn' ? 'chaos-b' : 'chaos-a';
  const customer = i % 200;
  const originalId = `o-${i}`;
  const open = xRegisterSale(i, { id: originalId, version: 10 * i + 1, status: 'OPEN', customer });
  const closed = xRegisterSale(i, { id: originalId, version: 10 * i + 2, status: 'CLOSED', customer });
  const voided = xRegisterSale(i, { id: originalId, version: 10 * i + 3, status: 'VOIDED', customer });
  const versions: Record<string, unknown>[] = kind === 'voided' ? [open, closed, voided] : [open, closed];
  // Every 10th completed or voided sale loses its last webhook: only the reconciliation poll finds it.
  const dropped = (kind === 'completed' || kind === 'voided') && i % 10 < 2;
  const delivered = dropped ? versions.slice(0, -1) : versions;
  const ordered = i % 5 === 0 ? [...delivered].reverse() : delivered;
  const copies = 1 + (i % 3);
  const deliveries = ordered.flatMap((payload) => Array.from({ length: copies }, () => ({ merchantId, payload })));
  const last = versions[versions.length - 1]!;
  const final = dropped
    ? { shape: '2.0' as const, payload: xSale20(i, { id: originalId, version: Number(last.version), status: String(last.status), customer }) }
    : { shape: '1.0' as const, payload: last };
  const returns =
    kind === 'returned2'
      ? [xReturn(i, { id: `r1-${i}`, originalId, quantity: 1, customer }), xReturn(i, { id: `r2-${i}`, originalId, quantity: 1, customer })]
      : kind === 'pendingReturn'
        ? [xReturn(i, { id: `r1-${i}`, originalId, quantity: 1, customer })]
        : [];
  return { i, kind, merchantId, customer, originalId, deliveries, final, returns };
}

/** What the ledger must hold per sale: the engine on each final state, originals before their returns. */
function oracle(plans: Plan[], createdAt: Date): Map<string, { merchantId: string; customer: string; points: number }> {
  const refs = emptyReferenceData();
  const expected = new Map<string, { merchantId: string; customer: string; points: number }>();
  const context = (extra: Record<string, unknown> = {}) =>
    evaluationContextSchema.parse({ now: NOW.toISOString(), timezone: 'America/Montreal', merchantCreatedAt: createdAt.toISOString(), ...extra });
  for (const p of plans) {
    const rules = RULES[p.merchantId]!;
    const sale: Sale =
      p.final.shape === '1.0'
        ? normalizeXSale(p.merchantId, xRegisterSaleSchema.parse(p.final.payload), refs)
        : normalizeXSale20(
            p.merchantId,
            xSale20Schema.parse(p.final.payload),
            {
              id: `cust-${p.customer}`,
              customer_code: `CUST-${p.customer}`,
              customer_group_id: X_GROUP,
              email: `cust-${p.customer}@example.com`,
              enable_loyalty: true,
            },
            refs,
          );
    const original: Decision = evaluate(sale, rules, context());
    expected.set(`${p.merchantId}/${p.originalId}`, { merchantId: p.merchantId, customer: `cust-${p.customer}`, points: original.points });
    let total = 0;
    const byLine: Record<string, { quantity: number; points: number }> = {};
    for (const r of p.returns) {
      const ret = normalizeXSale(p.merchantId, xRegisterSaleSchema.parse(r), refs);
      const d = evaluate(ret, rules, context({ original: { saleId: p.originalId, decision: original, reversed: { total, byLine } } }));
      for (const line of d.lines) {
        if (!line.refundsLineId) continue;
        const prior = byLine[line.refundsLineId] ?? { quantity: 0, points: 0 };
        byLine[line.refundsLineId] = { quantity: prior.quantity + Math.abs(line.quantity), points: prior.points - line.points };
        total -= line.points;
      }
      expected.set(`${p.merchantId}/${String(r.id)}`, { merchantId: p.merchantId, customer: `cust-${p.customer}`, points: d.points });
    }
  }
  return expected;
}

async function post(url: string, d: Delivery): Promise<number> {
  const { body, signature } = signedForm(SECRET, d.payload);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const res = await fetch(`${url}/webhooks/lightspeed/x/${d.merchantId}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': signature },
      });
      await res.arrayBuffer();
      // Lightspeed retries a non-2xx delivery; so do we.
      if (res.status === 200 || attempt >= 20) return res.status;
    } catch {
      if (attempt >= 20) return 0;
    }
    await sleep(250);
  }
}

async function deliverAll(url: string, deliveries: Delivery[], concurrency = 20): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) await post(url, deliveries[next++]!);
    }),
  );
}

async function waitApplied(pool: Pool, finals: Map<string, number>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ key: string; v: number }>(
      `SELECT merchant_id || '/' || sale_id AS key, applied_version AS v FROM sale_state WHERE applied_version IS NOT NULL`,
    );
    const applied = new Map(rows.map((r) => [r.key, Number(r.v)]));
    const missing = [...finals].filter(([key, v]) => applied.get(key) !== v);
    if (!missing.length) return;
    if (Date.now() > deadline)
      throw new Error(
        `${missing.length} sales not applied at their final version, e.g. ${missing
          .slice(0, 3)
          .map(([k]) => k)
          .join(', ')}`,
      );
    await sleep(500);
  }
}

async function main(): Promise<void> {
  const fake = new FakeLightspeed({ xOutlets: ['outlet-1'] });
  const redis = new RedisServer(await freePort());
  const apiPort = await freePort();
  const workers = new Set<ChildProcess>();
  let api: ChildProcess | undefined;
  let pool: Pool | undefined;
  let events: Awaited<ReturnType<typeof startEventDrill>> | undefined;
  let chaos: NodeJS.Timeout | undefined;
  const env = () => ({
    DATABASE_URL,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: PREFIX,
    PORT: String(apiPort),
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: 'chaos-admin-token-0123456789abcdef',
    X_POLL_EVERY_MS: '2000',
    SWEEP_EVERY_MS: '2000',
    SWEEP_AGE_MS: '3000',
    JOB_LOCK_MS: '3000',
    ...EVENT_DRILL_ENV,
  });
  let spawned = 0;
  const startWorker = async () => {
    spawned += 1;
    const child = spawnNode(`chaos-worker-${spawned}`, 'dist/bin/main.js', { ...env(), ROLE: 'worker', LOG_LEVEL: 'info' });
    workers.add(child);
    child.once('exit', () => workers.delete(child));
    await waitForLine(child, /worker role started/, 60_000).catch(() => undefined);
  };
  let kills = 0;
  let redisRestarted = false;
  try {
    await redis.start();
    await fake.start();
    await ensureDatabase(DATABASE_URL);
    api = spawnNode('chaos-api', 'dist/bin/main.js', { ...env(), ROLE: 'api', LOG_LEVEL: 'info' });
    await waitForLine(api, /listening on/, 60_000);
    pool = createPool(DATABASE_URL);
    events = await startEventDrill(`http://127.0.0.1:${apiPort}`, env().ADMIN_TOKEN);
    for (const id of ['chaos-a', 'chaos-b']) {
      await insertMerchant(pool, {
        id,
        name: id,
        series: 'x',
        domainPrefix: id,
        timezone: 'America/Montreal',
        webhookSecret: SECRET,
        apiBaseUrl: fake.url,
        credentials: { accessToken: 'chaos', refreshToken: 'chaos', expiresAt: '2030-01-01T00:00:00Z' },
      });
      const { version: _v, ...document } = RULES[id]!;
      await saveRules(pool, id, document, 'chaos');
    }
    const plans = Array.from({ length: SALES }, (_, i) => plan(i));
    fake.configure({ xSales20: plans.filter((p) => p.final.shape === '2.0').map((p) => p.final.payload as { version: number }) });
    for (let i = 0; i < 3; i += 1) await startWorker();

    const started = Date.now();
    chaos = setInterval(() => {
      const victims = [...workers];
      const victim = victims[Math.floor(Math.random() * victims.length)];
      if (victim) {
        victim.kill('SIGKILL');
        kills += 1;
        void startWorker();
      }
      if (!redisRestarted && Date.now() - started > 8_000) {
        redisRestarted = true;
        void (async () => {
          await redis.stop();
          console.log('chaos: Redis stopped');
          await sleep(5_000);
          await redis.start();
          console.log('chaos: Redis started again, empty');
        })();
      }
    }, 3_000);

    const url = `http://127.0.0.1:${apiPort}`;
    const shuffled = plans.flatMap((p) => p.deliveries).sort(() => Math.random() - 0.5);
    console.log(`chaos: phase 1, ${shuffled.length} deliveries of ${SALES} sales`);
    await deliverAll(url, shuffled);
    await waitApplied(pool, new Map(plans.map((p) => [`${p.merchantId}/${p.originalId}`, Number((p.final.payload as { version: number }).version)])), 600_000);
    for (const phase of [0, 1]) {
      const deliveries = plans
        .filter((p) => p.returns[phase])
        .flatMap((p) => Array.from({ length: 1 + (p.i % 3) }, () => ({ merchantId: p.merchantId, payload: p.returns[phase]! })));
      console.log(`chaos: phase ${phase + 2}, ${deliveries.length} return deliveries`);
      await deliverAll(url, deliveries);
      await waitApplied(pool, new Map(plans.filter((p) => p.returns[phase]).map((p) => [`${p.merchantId}/${String(p.returns[phase]!.id)}`, 1])), 600_000);
    }
    clearInterval(chaos);
    chaos = undefined;

    const { rows: created } = await pool.query<{ created_at: Date }>(`SELECT created_at FROM merchants WHERE id = 'chaos-a'`);
    const expected = oracle(plans, created[0]!.created_at);
    const { rows: ledger } = await pool.query<{ key: string; points: number }>(
      `SELECT d.merchant_id || '/' || d.sale_id AS key, coalesce(sum(l.points), 0)::int AS points
         FROM decisions d JOIN ledger_entries l ON l.decision_id = d.id GROUP BY 1`,
    );
    const credited = new Map(ledger.map((r) => [r.key, r.points]));
    let passed = 0;
    const failures: string[] = [];
    for (const [key, e] of expected) {
      const got = credited.get(key) ?? 0;
      if (got === e.points) passed += 1;
      else failures.push(`${key}: credited ${got}, oracle ${e.points}`);
    }
    const perCustomer = new Map<string, number>();
    for (const e of expected.values()) perCustomer.set(`${e.merchantId}/${e.customer}`, (perCustomer.get(`${e.merchantId}/${e.customer}`) ?? 0) + e.points);
    const { rows: balances } = await pool.query<{ key: string; total: number; pending: number }>(
      `SELECT merchant_id || '/' || customer_id AS key, (available + pending)::int AS total, pending::int FROM customers`,
    );
    const balance = new Map(balances.map((b) => [b.key, b]));
    let customersOk = 0;
    for (const [key, points] of perCustomer) {
      const b = balance.get(key);
      if (b && b.total === points && b.pending >= 0) customersOk += 1;
      else failures.push(`customer ${key}: balance ${b?.total ?? 'missing'} (pending ${b?.pending ?? '-'}), oracle ${points}`);
    }
    failures.push(...(await events.check(pool)));
    console.log(
      `chaos: ${kills} workers killed, Redis restarted empty: ${redisRestarted}; ${passed} of ${expected.size} sales and ${customersOk} of ${perCustomer.size} customer balances match the oracle`,
    );
    for (const f of failures.slice(0, 20)) console.log(`  FAIL ${f}`);
    console.log(`${passed + customersOk} passed, ${failures.length} failed`);
    process.exitCode = failures.length === 0 ? 0 : 1;
  } finally {
    if (chaos) clearInterval(chaos);
    await Promise.all([...workers].map((w) => stop(w)));
    await stop(api);
    await events?.close();
    await pool?.end();
    await fake.stop();
    await redis.stop();
    const admin = createPool(`${PG}/postgres`);
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
