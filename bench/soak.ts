/**
 * `npm run soak`: the service at a steady rate for a long time (README, "Soak"). SOAK_RATE sales/s
 * (default 100) for SOAK_MINUTES (default 30; `--rate=`, `--minutes=` on the command line win) through
 * webhooks and the reconciliation poll, the sales of bench/chaosPlan.ts (completed, voided, returned
 * twice, returned while pending; every 10th delivered twice; 20 % of the completed and voided ones'
 * final versions only reachable by the poll), the returns 10 s after their sale. It reports at the start
 * (after the first minute) and at the end: RSS and heap of each process and its event-loop delay p99
 * (bench/soakProbe.ts, loaded with `node --import`), Redis memory, the database's size and the webhook →
 * points p99 of the last minute; then waits for the queue to drain and checks that no inbox event is
 * left unprocessed and that every sale and balance matches the oracle. Ends with `N passed, M failed`.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '../src/config.js';
import type { Pool } from '../src/db/pool.js';
import { createRedis } from '../src/queue/connections.js';
import { oracle, plan, storeIds, type Delivery, type Expected, type Plan } from './chaosPlan.js';
import { balancesMatch, inboxDrained, runOracle, salesMatch } from './chaosOracle.js';
import { closeAll, newSendStats, post, startService, waitApplied, waitDrained, type Service } from './chaosDrill.js';
import { logDir, root, sleep } from './processes.js';
import { percentile } from './stats.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const RATE = Number(arg('rate') ?? process.env.SOAK_RATE ?? 100);
const MINUTES = Number(arg('minutes') ?? process.env.SOAK_MINUTES ?? 30);
/**
 * Stores of each kind (SOAK_STORES, default 25: 50 stores, 2 sales/s each at 100/s). The first run put
 * 50 sales/s through each of two stores, and one store's Lightspeed budget (X: 300 × registers + 50 calls
 * per 5 minutes) could not carry that store's polls and sale loading: the soak measured the rate limiter.
 * With 10 of each kind, a store's share of the sales only the poll finds (1 a second) still exceeded it.
 */
const STORES = Number(arg('stores') ?? process.env.SOAK_STORES ?? 25);
const TICK_MS = 100;
/** A setting's default in the service (src/config.ts). */
const serviceDefault = (key: 'SWEEP_EVERY_MS' | 'SWEEP_AGE_MS' | 'JOB_LOCK_MS') => String(configSchema.shape[key].parse(undefined));
const MAX_IN_FLIGHT = 200;

interface ReturnDue {
  at: number;
  key: string;
  version: number;
  deliveries: Delivery[];
}

interface Snapshot {
  at: string;
  minute: number;
  processes: Array<{ role: string; pid: number; rssMb: number; heapUsedMb: number; loopP99Ms: number }>;
  redisUsedMb: number;
  databaseMb: number;
  webhookToPointsP99Ms: number;
  webhookToPointsSamples: number;
  sales: number;
  inboxEvents: number;
}

/** Each version once (every 10th sale's twice: Lightspeed's duplicates), as the plan orders them. */
function soakDeliveries(p: Plan): Delivery[] {
  const seen = new Set<unknown>();
  const once = p.deliveries.filter((d) => (seen.has(d.payload) ? false : (seen.add(d.payload), true)));
  return p.i % 10 === 0 ? [...once, ...once] : once;
}

async function snapshot(service: Service, probeDir: string, started: number, sales: number): Promise<Snapshot> {
  const latest = new Map<number, Snapshot['processes'][number]>();
  const since = Date.now() - 60_000;
  for (const file of readdirSync(probeDir)) {
    const pid = Number(file.replace('.jsonl', ''));
    const lines = readFileSync(path.join(probeDir, file), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { at: number; role: string; rssMb: number; heapUsedMb: number; loopP99Ms: number });
    const recent = lines.filter((l) => l.at >= since);
    const last = lines[lines.length - 1];
    // A process that stopped writing (exited) is not reported.
    if (!last || !recent.length) continue;
    latest.set(pid, { role: last.role, pid, rssMb: last.rssMb, heapUsedMb: last.heapUsedMb, loopP99Ms: Math.max(...recent.map((l) => l.loopP99Ms)) });
  }
  const probe = createRedis(service.redis.url, 'worker');
  const info = await probe.info('memory');
  probe.disconnect();
  const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
  const pool: Pool = service.pool;
  const { rows: size } = await pool.query<{ bytes: number }>(`SELECT pg_database_size(current_database())::bigint AS bytes`);
  const { rows: lat } = await pool.query<{ ms: number }>(
    `SELECT extract(epoch FROM (l.created_at - e.received_at)) * 1000 AS ms
       FROM ledger_entries l JOIN decisions d ON d.id = l.decision_id JOIN sale_events e ON e.id = d.event_id
      WHERE e.source = 'webhook' AND l.created_at > now() - interval '60 seconds'`,
  );
  const ms = lat.map((r) => Number(r.ms)).sort((a, b) => a - b);
  const { rows: events } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sale_events`);
  return {
    at: new Date().toISOString(),
    minute: Math.round((Date.now() - started) / 6_000) / 10,
    processes: [...latest.values()].sort((a, b) => a.role.localeCompare(b.role) || a.pid - b.pid),
    redisUsedMb: Math.round((used / 1048576) * 10) / 10,
    databaseMb: Math.round((Number(size[0]!.bytes) / 1048576) * 10) / 10,
    webhookToPointsP99Ms: Math.round(percentile(ms, 99)),
    webhookToPointsSamples: ms.length,
    sales,
    inboxEvents: events[0]!.n,
  };
}

function print(label: string, s: Snapshot): void {
  console.log(`soak ${label} (${s.at}, minute ${s.minute}, ${s.sales} sales sent, ${s.inboxEvents} inbox events):`);
  for (const p of s.processes) console.log(`  ${p.role} pid ${p.pid}: RSS ${p.rssMb} MB, heap used ${p.heapUsedMb} MB, event-loop delay p99 ${p.loopP99Ms} ms`);
  console.log(`  Redis used_memory ${s.redisUsedMb} MB; PostgreSQL database ${s.databaseMb} MB`);
  console.log(`  webhook → points p99 over the last minute: ${s.webhookToPointsP99Ms} ms (${s.webhookToPointsSamples} entries)`);
}

async function main(): Promise<void> {
  const probeDir = path.join(logDir, 'soak-probe');
  rmSync(probeDir, { recursive: true, force: true });
  mkdirSync(probeDir, { recursive: true });
  const service = await startService({
    name: 'soak',
    // Its own PostgreSQL cluster, with PostgreSQL's default settings (autovacuum on, as on any production
    // server). The machine's shared server runs with autovacuum off: nothing is ever analysed, the
    // statements keep the plans they were given on empty tables (sequential scans), and at 100 sales/s
    // the soak fell behind after 4 minutes there; a manual ANALYZE then drained 18,000 waiting events in
    // 2 minutes (README, "Soak").
    ownPostgres: true,
    apiProcesses: 1,
    workers: 2,
    stores: STORES,
    // A store's usual rhythm, not the drills' hurried one: a poll every 15 s (the drills' 2 s would spend
    // most of a store's Lightspeed budget on polls), reference data kept 10 minutes, and the service's
    // own sweep and job lock (the drills sweep every 2 s for rows 3 s old, to heal the faults they cause
    // quickly; nothing here fails, and a sweep that often treats a busy minute as a fault).
    extraEnv: {
      X_POLL_EVERY_MS: '15000',
      REFERENCE_TTL_MS: '600000',
      SWEEP_EVERY_MS: serviceDefault('SWEEP_EVERY_MS'),
      SWEEP_AGE_MS: serviceDefault('SWEEP_AGE_MS'),
      JOB_LOCK_MS: serviceDefault('JOB_LOCK_MS'),
      NODE_OPTIONS: `--import ${path.join(root, 'dist', 'bench', 'soakProbe.js')}`,
      SOAK_PROBE_DIR: probeDir,
    },
  });
  try {
    await service.startApi();
    for (let i = 0; i < 2; i += 1) await service.startWorker();
    // Each store's sales only reachable by the poll, served at its own prefix.
    const polled = new Map(storeIds(STORES).map((id) => [id, [] as Array<{ version: number }>]));
    service.fake.configure({ xSales20ByStore: polled });
    const stats = newSendStats();
    // The oracle is computed as each sale is made and its payloads dropped: 30 min of sales would not fit.
    const { rows: created } = await service.pool.query<{ id: string; created_at: Date }>(`SELECT id, created_at FROM merchants`);
    const createdAt = new Map(created.map((m) => [m.id, m.created_at]));
    const expected: Expected = new Map();
    const finals = new Map<string, number>();
    let made = 0;
    let inFlight = 0;
    let behind = 0;
    const send = (d: Delivery) => {
      inFlight += 1;
      void post(service.url, d, stats).finally(() => (inFlight -= 1));
    };
    const durationMs = MINUTES * 60_000;
    const started = Date.now();
    const firstAt = started + Math.min(60_000, durationMs / 3);
    let first: Snapshot | null = null;
    const returnsDue: ReturnDue[] = [];
    // A return goes 10 s after its sale, and not before the sale is applied: a return the service sees
    // before its original makes the original earn nothing (rule RETURN_REVERSED), which the oracle, applying
    // originals first, does not model. Under a backlog, webhook → points exceeds 10 s.
    const returnsReady = async (due: ReturnDue[]): Promise<Delivery[]> => {
      const ripe = due.filter((r) => r.at <= Date.now());
      if (!ripe.length) return [];
      const { rows } = await service.pool.query<{ key: string; v: number }>(
        `SELECT merchant_id || '/' || sale_id AS key, applied_version AS v FROM sale_state WHERE merchant_id || '/' || sale_id = ANY($1::text[])`,
        [ripe.map((r) => r.key)],
      );
      const applied = new Map(rows.map((r) => [r.key, Number(r.v)]));
      const go = ripe.filter((r) => applied.get(r.key) === r.version);
      for (const r of go) due.splice(due.indexOf(r), 1);
      return go.flatMap((r) => r.deliveries);
    };
    console.log(`soak: ${RATE} sales/s for ${MINUTES} min over ${storeIds(STORES).length} stores (webhooks and polls, with returns and voids)`);
    for (let tick = 0; Date.now() - started < durationMs; tick += 1) {
      const due = started + tick * TICK_MS;
      // Always yield: a tick behind schedule must still let the deliveries in flight progress.
      await sleep(Math.max(0, due - Date.now()));
      const target = Math.floor(((tick + 1) * TICK_MS * RATE) / 1000);
      while (made < target) {
        const p = plan(made, STORES);
        made += 1;
        for (const [key, e] of oracle([p], (id) => createdAt.get(id)!)) expected.set(key, e);
        finals.set(`${p.merchantId}/${p.originalId}`, Number((p.final.payload as { version: number }).version));
        for (const r of p.returns) finals.set(`${p.merchantId}/${String(r.id)}`, 1);
        if (p.final.shape === '2.0') polled.get(p.merchantId)!.push(p.final.payload as { version: number });
        // The sender never runs more than MAX_IN_FLIGHT deliveries at once: when the service cannot keep up, the rate drops (reported).
        while (inFlight > MAX_IN_FLIGHT) {
          behind += 1;
          await sleep(10);
        }
        for (const d of soakDeliveries(p)) send(d);
        if (p.returns.length)
          returnsDue.push({
            at: Date.now() + 10_000,
            key: `${p.merchantId}/${p.originalId}`,
            version: finals.get(`${p.merchantId}/${p.originalId}`)!,
            deliveries: p.returns.map((payload) => ({ merchantId: p.merchantId, payload })),
          });
      }
      if (tick % 10 === 0) for (const d of await returnsReady(returnsDue)) send(d);
      if (!first && Date.now() >= firstAt) {
        first = await snapshot(service, probeDir, started, made);
        print('start', first);
      }
    }
    const end = await snapshot(service, probeDir, started, made);
    print('end', end);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `soak: load stopped; ${made} sales in ${Math.round(seconds)} s = ${Math.round(made / seconds)} sales/s achieved (${RATE} asked; the sender waited ${behind} times for ${MAX_IN_FLIGHT} deliveries in flight)`,
    );
    const giveUp = Date.now() + 1_800_000;
    while ((returnsDue.length || inFlight > 0) && Date.now() < giveUp) {
      for (const r of returnsDue) r.at = 0;
      for (const d of await returnsReady(returnsDue)) send(d);
      await sleep(500);
    }
    const drainStarted = Date.now();
    await waitApplied(service.pool, finals, 1_800_000);
    await waitDrained(service.pool, 600_000);
    console.log(
      `soak: drained ${Math.round((Date.now() - drainStarted) / 1000)} s after the load stopped; webhooks ${stats.ok} answered 200, ${stats.status503} 503, ${stats.otherStatus} other, ${stats.noAnswer} without an answer`,
    );
    if (first)
      console.log(
        `soak: start → end: ${end.processes.map((p) => `${p.role} ${p.pid} RSS ${first!.processes.find((q) => q.pid === p.pid)?.rssMb ?? '?'} → ${p.rssMb} MB`).join(', ')}; Redis ${first.redisUsedMb} → ${end.redisUsedMb} MB; PostgreSQL ${first.databaseMb} → ${end.databaseMb} MB for ${first.inboxEvents} → ${end.inboxEvents} inbox events; webhook → points p99 ${first.webhookToPointsP99Ms} → ${end.webhookToPointsP99Ms} ms`,
      );
    const result = await runOracle({ pool: service.pool, plans: [], acceptedEventIds: new Set(), expected }, 'soak', [inboxDrained, salesMatch, balancesMatch]);
    console.log(`${result.passed} passed, ${result.failed} failed`);
    process.exitCode = result.failed === 0 ? 0 : 1;
  } finally {
    await service.close();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.log(`soak: ${signal}, stopping what it started`);
    void closeAll().finally(() => process.exit(130));
  });

main().catch((error: unknown) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
