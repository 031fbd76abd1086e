/**
 * Scale-out: the same X-Series load drained by 1, 2 and 4 worker processes. The webhooks are queued
 * first with the sales queue paused, the N workers started, and the queue resumed: the figure is the
 * workers' capacity alone (sales credited per second from resume to the last ledger entry), and the CPU
 * each process used over the drain says where a missed efficiency went.
 */
import { Queue } from 'bullmq';
import { createRedis } from '../src/queue/connections.js';
import { QUEUE } from '../src/queue/names.js';
import { cpuBetween, cpuSnapshot } from './cpu.js';
import type { BenchKit } from './kit.js';
import { spread, round } from './stats.js';

export const SCALEOUT_WORKERS = [1, 2, 4] as const;

export async function scaleoutCase(kit: BenchKit) {
  const connection = createRedis(kit.redisUrl, 'worker');
  const sales = new Queue(QUEUE.sales, { connection, prefix: kit.prefix });
  const api = await kit.startService('api', 'scaleout-api');
  const rows: { workers: number; run: number; salesPerSec: number; cpu: ReturnType<typeof cpuBetween> }[] = [];
  try {
    for (let run = 0; run < kit.runs; run += 1) {
      for (const n of SCALEOUT_WORKERS) {
        const id = `so-${n}-${run}`;
        await kit.merchant(id, 'x');
        await sales.pause();
        const loaded = await kit.load(id, kit.sales);
        if (loaded.non2xx) throw new Error(`${id}: ${loaded.non2xx} webhooks refused`);
        const workers = await Promise.all(Array.from({ length: n }, (_, i) => kit.startService('worker', `scaleout-${n}-worker-${i}`)));
        const backends = async () =>
          new Set(
            (await kit.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [kit.dbName])).rows.map(
              (r) => r.pid,
            ),
          );
        const before = cpuSnapshot();
        const { rows: start } = await kit.pool.query<{ at: number }>(`SELECT extract(epoch FROM clock_timestamp()) * 1000 AS at`);
        await sales.resume();
        await kit.waitCredited(id, kit.sales, 600_000);
        const after = cpuSnapshot();
        const ours = await backends();
        const workerPids = new Set(workers.map((w) => w.pid));
        const cpu = cpuBetween(before, after, {
          workers: (pid) => workerPids.has(pid),
          postgresBench: (pid) => ours.has(pid),
          postgresAll: (_pid, comm) => comm === 'postgres',
          redis: (_pid, comm) => comm.startsWith('redis-server'),
          api: (pid) => pid === api.pid,
          bench: (pid) => pid === process.pid,
        });
        const l = await kit.latencies(id);
        const salesPerSec = kit.sales / ((l.last - Number(start[0]!.at)) / 1000);
        rows.push({ workers: n, run, salesPerSec, cpu });
        console.log(`scaleout: ${n} worker(s), run ${run}: ${round(salesPerSec)} sales/s, cpu ${JSON.stringify(cpu)}`);
        await Promise.all(workers.map((w) => kit.stopService(w)));
      }
    }
  } finally {
    await sales.resume().catch(() => undefined);
    await sales.close();
    connection.disconnect();
    await kit.stopService(api);
  }
  const byWorkers = Object.fromEntries(
    SCALEOUT_WORKERS.map((n) => {
      const mine = rows.filter((r) => r.workers === n);
      const perSale = (key: string) => round((spread(mine.map((r) => r.cpu.cpuSec[key]!)).median * 1e6) / kit.sales, 0);
      // The machine's busy CPU that none of these processes used: other sessions, kernel threads.
      const others = (r: (typeof mine)[number]) =>
        r.cpu.machineBusySec - ['workers', 'postgresAll', 'redis', 'api', 'bench'].reduce((a, k) => a + r.cpu.cpuSec[k]!, 0);
      return [
        n,
        {
          salesPerSec: spread(mine.map((r) => r.salesPerSec)),
          machineBusyCores: round(spread(mine.map((r) => r.cpu.machineBusyCores)).median),
          // CPU µs per sale of each process group over the drain (medians of the runs).
          cpuUsPerSale: {
            workers: perSale('workers'),
            postgresBench: perSale('postgresBench'),
            postgresAll: perSale('postgresAll'),
            redis: perSale('redis'),
            api: perSale('api'),
            bench: perSale('bench'),
            otherProcesses: round((spread(mine.map(others)).median * 1e6) / kit.sales, 0),
          },
          drainSeconds: round(spread(mine.map((r) => r.cpu.seconds)).median),
        },
      ];
    }),
  );
  const one = byWorkers[1]!.salesPerSec.median;
  return {
    sales: kit.sales,
    workers: byWorkers,
    speedup2: round(byWorkers[2]!.salesPerSec.median / one),
    speedup4: round(byWorkers[4]!.salesPerSec.median / one),
    efficiency2: round(byWorkers[2]!.salesPerSec.median / one / 2),
    efficiency4: round(byWorkers[4]!.salesPerSec.median / one / 4),
  };
}
