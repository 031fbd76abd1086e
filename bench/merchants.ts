import type { Redis } from 'ioredis';
import { sweepInbox } from '../src/inbox/sweepInbox.js';
import { ensurePollSchedulers } from '../src/polling/schedulers.js';
import { createRedis } from '../src/queue/connections.js';
import { sweepReleases } from '../workers/sweep.js';
import { benchMerchant, inProcess, type CaseEnv } from './inProcess.js';
import { freePort, RedisServer } from './redisServer.js';
import { percentile, round, spread } from './stats.js';

/** Commands Redis ran since `CONFIG RESETSTAT`, from INFO commandstats, less the INFO call itself. */
async function commandsSince(probe: Redis): Promise<{ total: number; byCommand: Record<string, number> }> {
  const info = await probe.info('commandstats');
  const byCommand: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) byCommand[m[1]!] = Number(m[2]);
  // Redis 7 names subcommands (`config|resetstat`); this probe's own RESETSTAT and INFO are not the case's.
  for (const key of Object.keys(byCommand)) if (key === 'info' || key.startsWith('config')) delete byCommand[key];
  return { total: Object.values(byCommand).reduce((a, b) => a + b, 0), byCommand };
}

/**
 * 10,000 merchants (BENCH_SCALE does not shrink them: the count is the point), on a private redis-server
 * so that INFO commandstats counts only this case's commands: worker start-up (the first, on an empty
 * Redis, creates every poll scheduler; a restart finds them), where the first polls fall over the poll
 * interval, and the sweep (the maintenance job's work: the scheduler check, the inbox sweep, the
 * release sweep) with nothing changed and with one merchant changed: Redis commands and CPU per sweep.
 */
export async function merchants(env: CaseEnv) {
  const count = Number(process.env.BENCH_MERCHANTS ?? 10_000);
  const redisServer = new RedisServer(await freePort());
  await redisServer.start();
  const probe = createRedis(redisServer.url, 'worker');
  const ctx = await inProcess({ databaseUrl: env.databaseUrl, redisUrl: redisServer.url }, 'merchants');
  try {
    await benchMerchant(ctx, 'm-0', env.fakeUrl);
    // The others copied from the first in one statement (as if imported); changed an hour ago.
    await ctx.pool.query(
      `INSERT INTO merchants SELECT (jsonb_populate_record(NULL::merchants, to_jsonb(m) || jsonb_build_object(
           'id', 'm-' || g, 'name', 'm-' || g, 'domain_prefix', 'm-' || g, 'url_token', NULL, 'url_token_hash', NULL))).*
         FROM merchants m, generate_series(1, $1 - 1) g WHERE m.id = 'm-0'`,
      [count],
    );
    await ctx.pool.query(`UPDATE merchants SET updated_at = now() - interval '1 hour', created_at = now() - interval '1 hour'`);

    const measure = async <T>(fn: () => Promise<T>) => {
      await probe.config('RESETSTAT');
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const result = await fn();
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const used = process.cpuUsage(cpu);
      return { result, wallMs: round(wallMs, 1), cpuMs: round((used.user + used.system) / 1000, 1), redis: await commandsSince(probe) };
    };

    const firstStart = await measure(() => ensurePollSchedulers(ctx));
    const restart = await measure(() => ensurePollSchedulers(ctx));

    // Where each merchant's first poll falls in the X poll interval.
    const every = ctx.config.X_POLL_EVERY_MS;
    const schedulers = await ctx.queues.poll.getJobSchedulers(0, -1);
    const now = Date.now();
    const perSecond = new Map<number, number>();
    for (const s of schedulers) {
      const second = Math.floor(((Number(s.next) - now) % every) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const seconds = Math.ceil(every / 1000);
    const buckets = Array.from({ length: seconds }, (_, i) => perSecond.get(i) ?? 0).sort((a, b) => a - b);

    const sweep = async (since: Date) => ({
      schedulers: await ensurePollSchedulers(ctx, since),
      enqueued: await sweepInbox(ctx),
      released: await sweepReleases(ctx),
    });
    // changed: one merchant edited (renamed, as through the API, which syncs its scheduler at once; the
    // sweep is the safety net); repair: one paused behind the service's back, so the counts differ and
    // the sweep compares every scheduler (what it also does after Redis lost its data).
    const sweeps = async (change: 'none' | 'one' | 'repair') => {
      const runs = [];
      for (let i = 0; i < 5; i += 1) {
        const since = new Date(Date.now() - 60_000);
        if (change === 'one') await ctx.pool.query(`UPDATE merchants SET updated_at = now(), name = $1 WHERE id = 'm-1'`, [`m-1 (${i})`]);
        if (change === 'repair') await ctx.pool.query(`UPDATE merchants SET updated_at = now() - interval '1 hour', paused = NOT paused WHERE id = 'm-2'`);
        runs.push(await measure(() => sweep(since)));
      }
      return {
        redisCommands: spread(runs.map((r) => r.redis.total)),
        cpuMs: spread(runs.map((r) => r.cpuMs)),
        wallMs: spread(runs.map((r) => r.wallMs)),
        commands: runs[runs.length - 1]!.redis.byCommand,
        synced: runs.map((r) => r.result.schedulers.synced),
      };
    };
    const unchanged = await sweeps('none');
    const oneChanged = await sweeps('one');
    const repair = await sweeps('repair');

    return {
      merchants: count,
      startUp: {
        emptyRedis: { redisCommands: firstStart.redis.total, wallMs: firstStart.wallMs, cpuMs: firstStart.cpuMs, repaired: firstStart.result.repaired },
        restart: { redisCommands: restart.redis.total, wallMs: restart.wallMs, cpuMs: restart.cpuMs, commands: restart.redis.byCommand },
      },
      firstPolls: {
        schedulers: schedulers.length,
        intervalSec: seconds,
        maxPerSecond: buckets[buckets.length - 1],
        p99PerSecond: percentile(buckets, 99),
        medianPerSecond: percentile(buckets, 50),
        evenPerSecond: round(schedulers.length / seconds, 1),
      },
      sweepUnchanged: unchanged,
      sweepOneMerchantChanged: oneChanged,
      sweepRepair: repair,
    };
  } finally {
    await ctx.close();
    probe.disconnect();
    await redisServer.stop();
  }
}
