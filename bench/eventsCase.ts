import os from 'node:os';
import { cpuBetween, cpuSnapshot } from './cpu.js';
import { startEventReceiver } from './eventReceiver.js';
import type { BenchKit } from './kit.js';
import { sleep } from './processes.js';
import { percentile, round, spread } from './stats.js';

/** The worker may deliver to the bench's local receivers. */
/** BENCH_EVENTS_PARTS=cpu,delivery,isolation,split (the default: all) runs a subset, for a quick look on a busy machine. */
const PARTS = new Set((process.env.BENCH_EVENTS_PARTS ?? 'cpu,delivery,isolation,split').split(',').filter(Boolean));

export const EVENTS_WORKER_ENV = { WEBHOOK_ALLOW_CIDRS: '127.0.0.1', WEBHOOK_DISPATCH_EVERY_MS: '50' };
const TRIGGERS = [
  'decisions.events_decision',
  'ledger_entries.events_entry',
  'ledger_entries.events_release',
  'customers.events_balance_insert',
  'customers.events_balance_update',
];

async function endpoint(kit: BenchKit, merchantId: string | null, url: string): Promise<number> {
  const { rows } = await kit.pool.query<{ id: number }>(`INSERT INTO webhook_endpoints (merchant_id, url, secret) VALUES ($1, $2, $3) RETURNING id::int`, [
    merchantId,
    url,
    // The development keyring decrypts a value without the enc: prefix as is: fine for a bench.
    `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  ]);
  return rows[0]!.id;
}

async function waitUndelivered(kit: BenchKit, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await kit.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM outbound_events WHERE dispatched_at IS NULL) + (SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.status = 'pending' AND w.url NOT LIKE '%hang%')::int AS n`,
    );
    if (Number(rows[0]!.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`events: ${rows[0]!.n} events or deliveries still pending after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Every outbox row of the merchant dispatched (its body built, its deliveries created). */
async function waitDispatched(kit: BenchKit, merchantId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await kit.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_events WHERE merchant_id = $1 AND dispatched_at IS NULL`, [
      merchantId,
    ]);
    if (rows[0]!.n === 0) return;
    if (Date.now() > deadline) throw new Error(`events: ${merchantId}: ${rows[0]!.n} outbox rows undispatched after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * Every sale of the merchant processed (done or failed: a sale the pipeline gave up on still cost its
 * CPU), `expected` of them received. The CPU figure does not need every sale credited; waiting for an
 * exact credited count made a loaded run fail on two slow sales rather than measure.
 */
async function waitProcessed(kit: BenchKit, merchantId: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await kit.pool.query<{ total: number; open: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('received', 'waiting'))::int AS open FROM sale_events WHERE merchant_id = $1`,
      [merchantId],
    );
    // A loaded run has lost a sale or two of the load's webhooks (1 of 500, 2 of 1,000): 99 % received is
    // enough, and the figures divide by the sales actually processed.
    if (rows[0]!.total >= Math.floor(expected * 0.99) && rows[0]!.open === 0) return rows[0]!.total;
    if (Date.now() > deadline) throw new Error(`events: ${merchantId}: ${rows[0]!.open} of ${rows[0]!.total} sales still open after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Events created at `perSecond` for `seconds` (adjustments' events, written by the outbox function); their ids. */
async function trickle(kit: BenchKit, merchantId: string, perSecond: number, seconds: number): Promise<void> {
  const every = 50;
  const per = Math.max(1, Math.round((perSecond * every) / 1000));
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = Date.now();
    await kit.pool.query(`SELECT events_emit($1, 'points.adjusted', NULL, NULL, NULL, '{}'::jsonb) FROM generate_series(1, $2)`, [merchantId, per]);
    await sleep(Math.max(0, every - (Date.now() - started)));
  }
}

/**
 * Issue 26's benchmarks, same run, same worker process:
 * 1. the outbox's cost on pipeline X: the worker's CPU per sale with the outbox triggers off (before the
 *    feature), on without an endpoint (nothing is written: one probe per ledger row, in PostgreSQL), and
 *    on with an endpoint receiving every event: the pipeline (outbox written and dispatched) apart from the
 *    sending of its events, each per sale;
 * 2. delivery throughput: a burst of events to one local receiver, events/s from commit to received;
 * 3. isolation: events at a steady rate to 3 live endpoints, p99 delay (event time → first received) with
 *    and without a 4th endpoint that never answers;
 * 4. split: the roles as docker-compose runs them (EVENT_DELIVERY=events: a worker that leaves outbound
 *    events to an events-role process): the sale worker's CPU per sale with the outbox triggers off and
 *    with an endpoint receiving every event while the events process dispatches and sends them.
 */
export async function eventsCase(kit: BenchKit) {
  // The machine's load when the case ran: figures from a shared machine are marked with it.
  const loadStart = os.loadavg().map((x) => round(x, 1));
  // The triggers' own time, inside PostgreSQL (the worker's CPU does not see it): function statistics for
  // the bench's scratch database only, on for the sessions the services open from here on.
  await kit.pool.query(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET track_functions = %L', current_database(), 'pl'); END $$`);
  const triggerMs = async () => {
    await sleep(1_500); // backends flush their function statistics about every second
    const { rows } = await kit.pool.query<{ ms: number }>(
      `SELECT coalesce(sum(self_time), 0)::float8 AS ms FROM pg_stat_user_functions WHERE funcname LIKE 'events\\_%'`,
    );
    return Number(rows[0]!.ms);
  };
  const api = await kit.startService('api', 'events-api', EVENTS_WORKER_ENV);
  let worker: Awaited<ReturnType<BenchKit['startService']>> | undefined = await kit.startService('worker', 'events-worker', EVENTS_WORKER_ENV);
  const workerPid = worker.pid!;
  const receivers: Array<Awaited<ReturnType<typeof startEventReceiver>>> = [];
  const receiver = async (hang = false) => {
    const r = await startEventReceiver({ hang });
    receivers.push(r);
    return r;
  };
  const setTriggers = (on: boolean) =>
    Promise.all(
      TRIGGERS.map((t) => t.split('.')).map(([table, trigger]) => kit.pool.query(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`)),
    );
  try {
    // 1. CPU per sale.
    const sales = kit.sales;
    const cpu: Record<'noOutbox' | 'outbox' | 'outboxAndEndpoint', number[]> = { noOutbox: [], outbox: [], outboxAndEndpoint: [] };
    const triggers: Record<'noOutbox' | 'outbox' | 'outboxAndEndpoint', number[]> = { noOutbox: [], outbox: [], outboxAndEndpoint: [] };
    const deliveredPerSale: number[] = [];
    const sendCpu: number[] = [];
    const sendCpuUsPerEvent: number[] = [];
    // A warm-up load first (JIT, caches, connections), so that the first variant measured does not pay for it.
    if (PARTS.has('cpu')) await kit.merchant('ev-warmup', 'x');
    if (PARTS.has('cpu')) await kit.load('ev-warmup', sales);
    if (PARTS.has('cpu')) await waitProcessed(kit, 'ev-warmup', sales, 600_000);
    await waitUndelivered(kit, 600_000);
    // Each run measures every variant twice, in the order A B C C B A, half the sales each time: a machine
    // (or a process) that warms up or gets busier during the run weighs on every variant alike, rather than
    // on whichever comes first.
    const half = Math.max(1, Math.round(sales / 2));
    for (let run = 0; run < (PARTS.has('cpu') ? kit.runs : 0); run += 1) {
      const sum = {
        noOutbox: { ms: 0, sales: 0, triggerMs: 0 },
        outbox: { ms: 0, sales: 0, triggerMs: 0 },
        outboxAndEndpoint: { ms: 0, sales: 0, triggerMs: 0 },
      };
      const send = { ms: 0, sales: 0, delivered: 0 };
      const order = ['noOutbox', 'outbox', 'outboxAndEndpoint', 'outboxAndEndpoint', 'outbox', 'noOutbox'] as const;
      for (const [step, variant] of order.entries()) {
        const id = `ev-${variant.toLowerCase()}-${run}-${step}`;
        await kit.merchant(id, 'x');
        await setTriggers(variant !== 'noOutbox');
        // With an endpoint, its drain lease is held during the load (no drain can start), so the worker's CPU
        // splits cleanly, same run, same sales: the pipeline with the outbox (and its dispatch) first, then
        // the sending of those events once the lease is let go.
        const held = variant === 'outboxAndEndpoint' ? await endpoint(kit, id, (await receiver()).url) : null;
        if (held !== null) await kit.pool.query(`UPDATE webhook_endpoints SET drain_until = now() + interval '1 hour' WHERE id = $1`, [held]);
        const triggersBefore = await triggerMs();
        const before = cpuSnapshot();
        await kit.load(id, half);
        const processed = await waitProcessed(kit, id, half, 600_000);
        await waitDispatched(kit, id, 600_000);
        const loaded = cpuSnapshot();
        sum[variant].ms += cpuBetween(before, loaded, { worker: (pid) => pid === workerPid }).cpuSec.worker! * 1000;
        sum[variant].sales += processed;
        sum[variant].triggerMs += (await triggerMs()) - triggersBefore;
        if (held !== null) {
          const sendStart = cpuSnapshot();
          await kit.pool.query(`UPDATE webhook_endpoints SET drain_until = NULL WHERE id = $1`, [held]);
          // The dispatcher's sweep finds the due deliveries within 25 rounds.
          await waitUndelivered(kit, 600_000);
          send.ms += cpuBetween(sendStart, cpuSnapshot(), { worker: (pid) => pid === workerPid }).cpuSec.worker! * 1000;
          const { rows } = await kit.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'delivered'`,
            [held],
          );
          send.sales += processed;
          send.delivered += rows[0]!.n;
        }
        await waitUndelivered(kit, 600_000);
      }
      for (const variant of ['noOutbox', 'outbox', 'outboxAndEndpoint'] as const) {
        cpu[variant].push(sum[variant].ms / sum[variant].sales);
        triggers[variant].push(sum[variant].triggerMs / sum[variant].sales);
      }
      deliveredPerSale.push(send.delivered / send.sales);
      sendCpu.push(send.ms / send.sales);
      sendCpuUsPerEvent.push((send.ms * 1000) / Math.max(1, send.delivered));
    }
    await setTriggers(true);
    const cpuMs = { noOutbox: spread(cpu.noOutbox), outbox: spread(cpu.outbox), outboxAndEndpoint: spread(cpu.outboxAndEndpoint) };
    const sendMs = spread(sendCpu);

    // 2. Throughput: a burst to one endpoint.
    const burst = Math.max(2_000, Math.round(kit.sales / 2));
    const throughput: number[] = [];
    const cpuUsPerEvent: number[] = [];
    for (let run = 0; run < (PARTS.has('delivery') ? kit.runs : 0); run += 1) {
      const id = `ev-burst-${run}`;
      await kit.merchant(id, 'x');
      const r = await receiver();
      await endpoint(kit, id, r.url);
      const before = cpuSnapshot();
      const started = Date.now();
      await kit.pool.query(`SELECT events_emit($1, 'points.adjusted', NULL, NULL, NULL, '{}'::jsonb) FROM generate_series(1, $2)`, [id, burst]);
      while (r.counts.size < burst) await sleep(20);
      throughput.push(burst / ((Math.max(...r.firstAt.values()) - started) / 1000));
      // The worker's CPU (dispatch, sign, send, log) per event: a figure load distorts far less than events/s.
      await waitUndelivered(kit, 60_000);
      const used = cpuBetween(before, cpuSnapshot(), { worker: (pid) => pid === workerPid });
      cpuUsPerEvent.push((used.cpuSec.worker! * 1e6) / burst);
    }

    // 3. Isolation: p99 delay at 3 live endpoints, without then with a hanging one.
    const delays: Record<'allLive' | 'oneHanging', number[]> = { allLive: [], oneHanging: [] };
    for (const variant of PARTS.has('isolation') ? (['allLive', 'oneHanging'] as const) : []) {
      const id = `ev-iso-${variant.toLowerCase()}`;
      await kit.merchant(id, 'x');
      const live = [await receiver(), await receiver(), await receiver()];
      for (const r of live) await endpoint(kit, id, r.url);
      if (variant === 'oneHanging') await endpoint(kit, id, `${(await receiver(true)).url}?hang`);
      await trickle(kit, id, 200, 10);
      await waitUndelivered(kit, 120_000);
      const { rows } = await kit.pool.query<{ id: string; at: number }>(
        `SELECT id, extract(epoch FROM occurred_at) * 1000 AS at FROM outbound_events WHERE merchant_id = $1`,
        [id],
      );
      const ms = live.flatMap((r) => rows.map((e) => r.firstAt.get(e.id)! - Number(e.at))).sort((a, b) => a - b);
      delays[variant].push(percentile(ms, 99));
    }
    // 4. The roles split: the first worker stopped, a worker with EVENT_DELIVERY=events and an events process.
    const split: Record<'noOutbox' | 'endpoint', number[]> = { noOutbox: [], endpoint: [] };
    if (PARTS.has('split')) {
      await kit.stopService(worker);
      worker = undefined;
      const splitEnv = { ...EVENTS_WORKER_ENV, EVENT_DELIVERY: 'events' };
      const saleWorker = await kit.startService('worker', 'events-split-worker', splitEnv);
      const sender = await kit.startService('events', 'events-split-sender', splitEnv);
      try {
        const half = Math.max(1, Math.round(sales / 2));
        for (let run = 0; run < kit.runs; run += 1) {
          const sum = { noOutbox: { ms: 0, sales: 0 }, endpoint: { ms: 0, sales: 0 } };
          // A B B A, as above: warming up or a busier machine weighs on both alike.
          for (const [step, variant] of (['noOutbox', 'endpoint', 'endpoint', 'noOutbox'] as const).entries()) {
            const id = `ev-split-${variant.toLowerCase()}-${run}-${step}`;
            await kit.merchant(id, 'x');
            await setTriggers(variant === 'endpoint');
            if (variant === 'endpoint') await endpoint(kit, id, (await receiver()).url);
            const before = cpuSnapshot();
            await kit.load(id, half);
            const processed = await waitProcessed(kit, id, half, 600_000);
            sum[variant].ms += cpuBetween(before, cpuSnapshot(), { worker: (pid) => pid === saleWorker.pid }).cpuSec.worker! * 1000;
            sum[variant].sales += processed;
            await waitUndelivered(kit, 600_000);
          }
          split.noOutbox.push(sum.noOutbox.ms / sum.noOutbox.sales);
          split.endpoint.push(sum.endpoint.ms / sum.endpoint.sales);
        }
      } finally {
        await kit.stopService(sender);
        await kit.stopService(saleWorker);
        await setTriggers(true);
      }
    }
    const splitMs = { noOutbox: spread(split.noOutbox), endpoint: spread(split.endpoint) };
    const problems = receivers.flatMap((r) => r.problems);
    return {
      workerCpuMsPerSale: cpuMs,
      // The outbox triggers' time in PostgreSQL per sale (pg_stat_user_functions self time), beside the worker's CPU.
      triggerMsPerSale: { outbox: spread(triggers.outbox), outboxAndEndpoint: spread(triggers.outboxAndEndpoint) },
      outboxOverhead: round(cpuMs.outbox.median / cpuMs.noOutbox.median - 1, 3),
      // The pipeline's worker CPU per sale with an endpoint (outbox written and dispatched, events not yet sent)...
      outboxAndEndpointOverhead: round(cpuMs.outboxAndEndpoint.median / cpuMs.noOutbox.median - 1, 3),
      // ... and the sending of that sale's events, measured after it in the same process (sign, POST, log).
      sendCpuMsPerSale: sendMs,
      sendCpuUsPerEvent: spread(sendCpuUsPerEvent),
      deliveredEventsPerSale: spread(deliveredPerSale),
      outboxEndpointAndSendingOverhead: round((cpuMs.outboxAndEndpoint.median + sendMs.median) / cpuMs.noOutbox.median - 1, 3),
      deliveryEventsPerSec: spread(throughput),
      workerCpuUsPerDeliveredEvent: spread(cpuUsPerEvent),
      loadAverage: { start: loadStart, end: os.loadavg().map((x) => round(x, 1)) },
      burst,
      p99DelayMs: { allLive: round(delays.allLive[0] ?? NaN, 0), oneHanging: round(delays.oneHanging[0] ?? NaN, 0) },
      receiverProblems: problems.length,
      // The sale worker's CPU per sale with the roles split (EVENT_DELIVERY=events), without and with an endpoint.
      splitWorkerCpuMsPerSale: splitMs,
      splitOverhead: split.endpoint.length ? round(splitMs.endpoint.median / splitMs.noOutbox.median - 1, 3) : null,
    };
  } finally {
    await Promise.all(receivers.map((r) => r.close()));
    await kit.stopService(worker);
    await kit.stopService(api);
  }
}
