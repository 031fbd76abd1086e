import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { preparePostgres } from '../src/boot.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { getMerchant, insertMerchant } from '../src/merchants/store/repo.js';
import { saveRules } from '../src/ruleVersions/store/rulesRepo.js';
import type { Fault } from '../tools/fake-lightspeed/index.js';
import { plan, rulesFor, storeIds, type Delivery, type Plan } from './chaosPlan.js';
import { ORACLE_CHECKS, runOracle, type OracleCheck } from './chaosOracle.js';
import { EVENT_DRILL_ENV, startEventDrill } from './eventDrill.js';
import { signedForm } from './data.js';
import { FakeLightspeed } from './fakeLightspeed.js';
import { PgCluster } from './pgCluster.js';
import { RedisServer, freePort } from './redisServer.js';
import { sleep, spawnNode, stop, waitForLine } from './processes.js';

export const SECRET = 'chaos-webhook-secret';
/** How long an API process lives before it may be killed (CHAOS_API_VICTIM_AFTER_MS). */
const API_VICTIM_AFTER_MS = Number(process.env.CHAOS_API_VICTIM_AFTER_MS ?? 5_000);
const SHARED_PG = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** The faults a drill plays while the sales are delivered (see README, "The fault drills"). */
export interface Faults {
  /** SIGKILL a random started worker every 3 s and start another. */
  workerKills?: boolean;
  /** Stop Redis once and start it empty 5 s later. */
  redisWipe?: boolean;
  /** Its own PostgreSQL: `pg_ctl stop -m immediate` and start, twice, then down for `pgDownMs`. */
  postgres?: boolean;
  /** The fake Lightspeed answers 500s, then hangs, then 429s, each for a while, during polls and sale loading. */
  lightspeed?: boolean;
  /** SIGKILL a random API process (of `apiProcesses`, each up 5 s at least) every 2 s while the webhooks arrive. */
  apiKills?: boolean;
}

export interface DrillOptions {
  name: string;
  sales: number;
  quick: boolean;
  apiProcesses: number;
  faults: Faults;
  checks?: OracleCheck[];
}

/** What the drill's webhook sender saw, as Lightspeed would: it re-sends anything but a 200. */
export interface SendStats {
  ok: number;
  status503: number;
  otherStatus: number;
  noAnswer: number;
  acceptedEventIds: Set<number>;
}

export const newSendStats = (): SendStats => ({ ok: 0, status503: 0, otherStatus: 0, noAnswer: 0, acceptedEventIds: new Set() });

/** One delivery, re-sent (250 ms, growing to 2 s) until it is answered 200 or `giveUpAt`. */
export async function post(url: string, d: Delivery, stats: SendStats, giveUpAt = Date.now() + 600_000): Promise<number> {
  const { body, signature } = signedForm(SECRET, d.payload);
  for (let attempt = 0; ; attempt += 1) {
    let status = 0;
    try {
      const res = await fetch(`${url}/webhooks/lightspeed/x/${d.merchantId}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': signature },
        signal: AbortSignal.timeout(20_000),
      });
      status = res.status;
      const text = await res.text();
      if (status === 200) {
        stats.ok += 1;
        const eventId = (JSON.parse(text) as { eventId?: number }).eventId;
        if (typeof eventId === 'number') stats.acceptedEventIds.add(eventId);
        return status;
      }
      if (status === 503) stats.status503 += 1;
      else stats.otherStatus += 1;
    } catch {
      stats.noAnswer += 1;
    }
    if (Date.now() > giveUpAt) return status;
    await sleep(Math.min(2_000, 250 * 2 ** Math.min(attempt, 3)));
  }
}

/** Sends every delivery, 20 at a time, the k-th not before `start + k × spreadMs / n` (paced over the faults). */
export async function deliverAll(url: string, deliveries: Delivery[], stats: SendStats, spreadMs = 0, concurrency = 20): Promise<void> {
  let next = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const k = next++;
        const due = start + (k * spreadMs) / deliveries.length;
        if (due > Date.now()) await sleep(due - Date.now());
        await post(url, deliveries[k]!, stats);
      }
    }),
  );
}

/** A query that waits out a PostgreSQL restart (the drill's own pool sees the same outage). */
async function patiently<T>(work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

export async function waitApplied(pool: Pool, finals: Map<string, number>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await patiently(
      async () =>
        (
          await pool.query<{ key: string; v: number }>(
            `SELECT merchant_id || '/' || sale_id AS key, applied_version AS v FROM sale_state WHERE applied_version IS NOT NULL`,
          )
        ).rows,
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
    await sleep(1_000);
  }
}

/** Waits until no inbox event is left received, waiting or failed (a failed one is retried by the sweep). */
export async function waitDrained(pool: Pool, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await patiently(() => pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sale_events WHERE status <> 'done'`));
    if (rows[0]!.n === 0) return;
    await sleep(1_000);
  }
}

/** The pids of a process's children (node:cluster's API processes under the primary), from /proc. */
export function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * The operator's step for a store flagged "needs re-authorization": reconnect it (here: new tokens PATCHed,
 * as the connect flow would store them); its sales, waiting meanwhile, are then applied. `onlyLostAnswers`
 * reconnects only stores whose stored refresh token the fake rotated without the new one ever being
 * presented: a worker SIGKILLed between Lightspeed's answer and its own commit (Lightspeed revokes the old
 * token as it issues the new one, so no service can recover that alone). A store flagged for any other
 * reason stays flagged, and the oracle's "merchants recovered" check fails on it.
 */
export async function reconnectFlagged(service: Pick<Service, 'pool' | 'url' | 'fake' | 'env'>, onlyLostAnswers: boolean): Promise<string[]> {
  const { rows } = await service.pool.query<{ id: string; domain_prefix: string }>(`SELECT id, domain_prefix FROM merchants WHERE needs_reauth`);
  const reconnected: string[] = [];
  for (const m of rows) {
    if (onlyLostAnswers) {
      const stored = (await getMerchant(service.pool, m.id))?.refreshToken;
      if (!stored || !service.fake.tokens.lostAnswer(stored)) continue;
    }
    const issued = service.fake.tokens.issue(m.domain_prefix);
    const res = await fetch(`${service.url}/admin/api/merchants/${m.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${service.env().ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        credentials: { accessToken: issued.accessToken, refreshToken: issued.refreshToken, expiresAt: new Date(issued.expiresAt).toISOString() },
      }),
    });
    if (!res.ok) throw new Error(`reconnecting ${m.id}: ${res.status} ${await res.text()}`);
    reconnected.push(m.id);
  }
  return reconnected;
}

const live = new Set<Service>();

/** Stops every service a drill started (an interrupted run: Ctrl-C leaves no process, cluster or database). */
export async function closeAll(): Promise<void> {
  await Promise.all([...live].map((s) => s.close().catch(() => undefined)));
}

export interface Service {
  url: string;
  databaseUrl: string;
  pool: Pool;
  fake: FakeLightspeed;
  redis: RedisServer;
  pg: PgCluster | null;
  api: ChildProcess | undefined;
  workers: Set<ChildProcess>;
  /** Whether a worker has started (printed its start line) at least `forMs` ago. */
  isStarted: (child: ChildProcess, forMs?: number) => boolean;
  env: () => Record<string, string>;
  startWorker: () => Promise<void>;
  startApi: () => Promise<void>;
  close: (dropDatabase?: boolean) => Promise<void>;
}

/**
 * The service as the drills run it: a redis-server of its own, the fake Lightspeed, PostgreSQL (its own
 * cluster when `ownPostgres`, else a scratch database on the shared server), the API (`apiProcesses`
 * under node:cluster) and `workers` worker processes, with timings short enough for a drill.
 */
export async function startService(opts: {
  name: string;
  ownPostgres: boolean;
  apiProcesses: number;
  workers: number;
  pg?: PgCluster;
  databaseName?: string;
  seed?: boolean;
  fake?: FakeLightspeed;
  /** More settings for every service process (the soak's probe). */
  extraEnv?: Record<string, string>;
  /** Stores of each kind (chaosPlan's `plan(i, stores)`); 1: `chaos-a` and `chaos-b` only. */
  stores?: number;
}): Promise<Service> {
  const stamp = Date.now().toString(36);
  const dbName = opts.databaseName ?? `chaos_${stamp}`;
  let pg = opts.pg ?? null;
  if (!pg && opts.ownPostgres) {
    pg = new PgCluster(await freePort());
    await pg.init();
  }
  const databaseUrl = `${pg ? pg.url : SHARED_PG}/${dbName}`;
  // Tokens live 90 s: with the 60 s refresh margin, every merchant refreshes every 30 s or so, outages included.
  const fake = opts.fake ?? new FakeLightspeed({ accessTtlSeconds: 90, xOutlets: ['outlet-1'] });
  if (!opts.fake) await fake.start();
  const redis = new RedisServer(await freePort());
  await redis.start();
  const apiPort = await freePort();
  const prefix = `{chaos-${stamp}}`;
  const env = () => ({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ADMIN_TOKEN: 'chaos-admin-token-0123456789abcdef',
    X_POLL_EVERY_MS: '2000',
    SWEEP_EVERY_MS: '2000',
    SWEEP_AGE_MS: '3000',
    JOB_LOCK_MS: '3000',
    // Reference data (categories, customer groups) expires every 5 s: sale loading calls Lightspeed during the outage too.
    REFERENCE_TTL_MS: '5000',
    BOOT_RETRIES: '60',
    BOOT_RETRY_DELAY_MS: '1000',
    ...fake.serviceEnv(),
    // Outbound events go to the drill's local receiver (issue 26's check in the oracle).
    ...EVENT_DRILL_ENV,
    ...opts.extraEnv,
  });
  const workers = new Set<ChildProcess>();
  let spawned = 0;
  let closed = false;
  const started = new WeakMap<ChildProcess, number>();
  const pool = createPool(databaseUrl, { max: 4 });
  // The drill's own connections see PostgreSQL restarted under them: an idle one's error is expected, and
  // unhandled it would stop the drill (its queries retry through `patiently`).
  pool.on('error', () => undefined);
  const service: Service = {
    url: `http://127.0.0.1:${apiPort}`,
    databaseUrl,
    pool,
    fake,
    redis,
    pg,
    api: undefined,
    workers,
    isStarted: (child, forMs = 0) => (started.get(child) ?? Infinity) <= Date.now() - forMs,
    env,
    startWorker: async () => {
      // Interrupted (Ctrl-C) while the drill goes on: start nothing that close() would not stop.
      if (closed) return;
      spawned += 1;
      const child = spawnNode(`${opts.name}-worker-${spawned}`, 'dist/bin/main.js', { ...env(), ROLE: 'worker' });
      workers.add(child);
      child.once('exit', () => workers.delete(child));
      await waitForLine(child, /worker role started/, 90_000)
        .then(() => started.set(child, Date.now()))
        .catch(() => undefined);
    },
    startApi: async () => {
      if (closed) throw new Error('the service is stopped');
      service.api = spawnNode(`${opts.name}-api`, 'dist/bin/main.js', { ...env(), ROLE: 'api', API_PROCESSES: String(opts.apiProcesses) });
      await waitForLine(service.api, opts.apiProcesses > 1 ? /all \d+ API processes listening/ : /listening on/, 90_000);
    },
    close: async (dropDatabase = true) => {
      closed = true;
      live.delete(service);
      await Promise.all([...workers].map((w) => stop(w)));
      await stop(service.api);
      await service.pool.end().catch(() => undefined);
      if (!opts.fake) await fake.stop();
      await redis.stop();
      if (!dropDatabase) return;
      if (pg && !opts.pg) await pg.destroy();
      else if (!pg) {
        const admin = createPool(`${SHARED_PG}/postgres`);
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
        await admin.end();
      }
    },
  };
  live.add(service);
  if (opts.seed !== false) {
    try {
      await seed(service, databaseUrl, fake.url, opts.stores ?? 1);
    } catch (error) {
      await service.close();
      throw error;
    }
  }
  return service;
}

/**
 * The drill's X-Series merchants (the schema migrated first) with their rules: `chaos-a` and `chaos-b`,
 * or `stores` of each, every one a retailer of its own at the fake (`/x/<id>`: its own sales to poll).
 */
async function seed(service: Service, databaseUrl: string, fakeUrl: string, stores: number): Promise<void> {
  {
    await preparePostgres(databaseUrl);
    for (const id of storeIds(stores)) {
      await insertMerchant(service.pool, {
        id,
        name: id,
        series: 'x',
        domainPrefix: id,
        timezone: 'America/Montreal',
        webhookSecret: SECRET,
        apiBaseUrl: stores <= 1 ? fakeUrl : `${fakeUrl}/x/${id}`,
        // Already expired: the first call refreshes it at the fake's token endpoint, and so on every 30 s.
        credentials: { accessToken: 'chaos', refreshToken: `chaos-${id}`, expiresAt: '2020-01-01T00:00:00Z' },
      });
      const { version: _v, ...document } = rulesFor(id);
      await saveRules(service.pool, id, document, 'chaos');
    }
  }
}

/** The phases of the fake's outage with their lengths: 500s, then hangs, then a 429 storm. */
function outagePlan(quick: boolean): Array<{ fault: Fault; ms: number }> {
  const length = () => (quick ? 6_000 + Math.random() * 4_000 : 20_000 + Math.random() * 40_000);
  return (['500', 'hang', '429'] as Fault[]).map((fault) => ({ fault, ms: Math.round(length()) }));
}

/**
 * One drill: the sales of `plan` delivered (paced over the faults' schedule) while the faults play, the
 * returns after, then every oracle check. Returns the passes and failures.
 */
export async function runDrill(options: DrillOptions): Promise<{ passed: number; failed: number }> {
  const { faults, quick } = options;
  const label = `drill ${options.name}`;
  const service = await startService({ name: `chaos-${options.name}`, ownPostgres: Boolean(faults.postgres), apiProcesses: options.apiProcesses, workers: 3 });
  const { fake, pool, redis, pg } = service;
  const stats = newSendStats();
  const timers: NodeJS.Timeout[] = [];
  const tasks: Array<Promise<void>> = [];
  const log: string[] = [];
  let bursting = true;
  const note = (line: string) => {
    log.push(line);
    console.log(`${label}: ${line}`);
  };
  let events: Awaited<ReturnType<typeof startEventDrill>> | undefined;
  try {
    await service.startApi();
    events = await startEventDrill(service.url, service.env().ADMIN_TOKEN!);
    const plans: Plan[] = Array.from({ length: options.sales }, (_, i) => plan(i));
    fake.configure({ xSales20: plans.filter((p) => p.final.shape === '2.0').map((p) => p.final.payload as { version: number }) });
    for (let i = 0; i < 3; i += 1) await service.startWorker();

    // The faults' schedule, from now.
    let windowMs = quick ? 15_000 : 45_000;
    let workerKills = 0;
    let apiKills = 0;
    let lostRefreshes = 0;
    if (faults.workerKills) {
      timers.push(
        setInterval(() => {
          // Only a worker that has worked 5 s since it started: on a busy machine one takes seconds to boot,
          // and killing them faster than they start or get a batch done (as the first versions of this drill
          // did at a load average of 20-27) stops all processing instead of testing it.
          const victims = [...service.workers].filter((w) => service.isStarted(w, 5_000));
          const victim = victims[Math.floor(Math.random() * victims.length)];
          if (!victim) return;
          victim.kill('SIGKILL');
          workerKills += 1;
          void service.startWorker();
        }, 3_000),
      );
      // A worker killed in the middle of a token refresh loses the rotated refresh token (see
      // reconnectFlagged): the store is flagged, as it would be in production, and an operator reconnects it.
      timers.push(
        setInterval(() => {
          void reconnectFlagged(service, true)
            .then((ids) => {
              for (const id of ids) {
                lostRefreshes += 1;
                note(`merchant ${id} reconnected: a worker was killed between a token refresh's answer and its commit (the rotated token was lost)`);
              }
            })
            .catch(() => undefined);
        }, 2_000),
      );
    }
    if (faults.redisWipe) {
      tasks.push(
        (async () => {
          await sleep(8_000);
          await redis.stop();
          note('Redis stopped');
          await sleep(5_000);
          await redis.start();
          note('Redis started again, empty');
        })(),
      );
    }
    if (faults.postgres && pg) {
      const gap = quick ? 6_000 : 12_000;
      const downMs = 20_000;
      windowMs = Math.max(windowMs, 3 * gap + downMs + 5_000);
      tasks.push(
        (async () => {
          for (let i = 1; i <= 2; i += 1) {
            await sleep(gap);
            await pg.crash();
            note(`PostgreSQL stopped -m immediate (${i} of 2), starting it again`);
            await pg.start();
          }
          await sleep(gap);
          await pg.crash();
          note(`PostgreSQL stopped -m immediate for ${downMs / 1000} s`);
          await sleep(downMs);
          await pg.start();
          note('PostgreSQL started again');
        })(),
      );
    }
    if (faults.lightspeed) {
      const phases = outagePlan(quick);
      const total = phases.reduce((a, p) => a + p.ms, 0);
      windowMs = Math.max(windowMs, total + 8_000);
      tasks.push(
        (async () => {
          await sleep(4_000);
          for (const { fault, ms } of phases) {
            fake.setFault(fault);
            note(`Lightspeed fake: ${fault === 'hang' ? 'hangs (no answer)' : `answers ${fault}`} for ${Math.round(ms / 1000)} s`);
            await sleep(ms);
          }
          fake.setFault(null);
          note(`Lightspeed fake answers again (${fake.stats.faulted} requests refused or hung)`);
        })(),
      );
    }
    if (faults.apiKills && service.api?.pid) {
      const primary = service.api.pid;
      tasks.push(
        (async () => {
          await sleep(2_000);
          // A process is a victim once it has lived API_VICTIM_AFTER_MS (5 s), and only while all of them have:
          // a replacement takes seconds to boot (8 s at a load average of 27, where 12 s let drill all through),
          // and killing faster than they start would stop all intake instead of testing it.
          const firstSeen = new Map<number, number>();
          while (bursting) {
            const now = Date.now();
            const live = childPids(primary);
            for (const pid of live) if (!firstSeen.has(pid)) firstSeen.set(pid, now);
            const victims = live.filter((pid) => now - firstSeen.get(pid)! >= API_VICTIM_AFTER_MS);
            const victim = victims.length >= options.apiProcesses ? victims[Math.floor(Math.random() * victims.length)] : undefined;
            if (victim) {
              try {
                process.kill(victim, 'SIGKILL');
                apiKills += 1;
              } catch {
                // already gone
              }
            }
            await sleep(2_000);
          }
        })(),
      );
    }

    const shuffled = plans.flatMap((p) => p.deliveries).sort(() => Math.random() - 0.5);
    note(`phase 1, ${shuffled.length} deliveries of ${options.sales} sales over ${Math.round(windowMs / 1000)} s`);
    await deliverAll(service.url, shuffled, stats, windowMs);
    const finals = new Map(plans.map((p) => [`${p.merchantId}/${p.originalId}`, Number((p.final.payload as { version: number }).version)]));
    await waitApplied(pool, finals, 900_000);
    for (const phase of [0, 1]) {
      const deliveries = plans
        .filter((p) => p.returns[phase])
        .flatMap((p) => Array.from({ length: 1 + (p.i % 3) }, () => ({ merchantId: p.merchantId, payload: p.returns[phase]! })));
      note(`phase ${phase + 2}, ${deliveries.length} return deliveries`);
      await deliverAll(service.url, deliveries, stats);
      await waitApplied(pool, new Map(plans.filter((p) => p.returns[phase]).map((p) => [`${p.merchantId}/${String(p.returns[phase]!.id)}`, 1])), 900_000);
    }
    bursting = false;
    for (const t of timers) clearInterval(t);
    await Promise.all(tasks);
    await waitApplied(pool, finals, 900_000);
    await waitDrained(pool, 300_000);
    note(
      `${workerKills} workers and ${apiKills} API processes killed (${lostRefreshes} token refreshes lost with a killed worker, stores reconnected); webhooks: ${stats.ok} answered 200, ${stats.status503} answered 503, ${stats.otherStatus} other, ${stats.noAnswer} without an answer (all re-sent)`,
    );
    const checks = [...(options.checks ?? ORACLE_CHECKS), ...(faults.lightspeed ? [merchantsRecovered(service)] : []), eventsDelivered(events)];
    return await runOracle({ pool, plans, acceptedEventIds: stats.acceptedEventIds }, label, checks);
  } finally {
    bursting = false;
    for (const t of timers) clearInterval(t);
    await events?.close();
    await service.close();
  }
}

/** Every ledger change produced exactly one outbound event, and every event reached the receiver (bench/eventDrill.ts). */
function eventsDelivered(events: { check(pool: Pool): Promise<string[]> }): OracleCheck {
  return async ({ pool }) => {
    const failures = await events.check(pool);
    return { name: 'events', passed: failures.length ? 0 : 1, failures };
  };
}

/**
 * After a Lightspeed outage: no merchant paused or needing re-authorization (a transient failure is not
 * a refused token), and its polling recovered (a poll succeeded after the outage ended).
 */
function merchantsRecovered(service: Service): OracleCheck {
  return async ({ pool }) => {
    const { rows } = await pool.query<{
      id: string;
      paused: boolean;
      needs_reauth: boolean;
      reason: string | null;
      last_success_at: Date | null;
      last_error: string | null;
    }>(
      `SELECT m.id, m.paused, m.needs_reauth, m.needs_reauth_reason AS reason, p.last_success_at, p.last_error
         FROM merchants m LEFT JOIN poll_state p ON p.merchant_id = m.id ORDER BY m.id`,
    );
    const failures: string[] = [];
    for (const m of rows) {
      if (m.paused) failures.push(`merchant ${m.id} left paused`);
      if (m.needs_reauth) failures.push(`merchant ${m.id} flagged for re-authorization: ${m.reason ?? ''}`);
    }
    void service;
    return { name: 'merchants recovered', passed: rows.length * 2 - failures.length, failures };
  };
}
