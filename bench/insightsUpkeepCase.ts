import { cpuBetween, cpuSnapshot } from './cpu.js';
import type { BenchKit } from './kit.js';
import { round, spread } from './stats.js';

/**
 * Issue 25's upkeep cost on pipeline X, same run: the worker's CPU per sale with the Insights rollups'
 * upkeep off (INSIGHTS_UPKEEP=off: the ledger's write without its one insights statement, as before the
 * feature) and on. Each variant runs in its own worker process (the switch is read at start), warmed up
 * first, then alternated run by run so that drift on a shared machine falls on both. Target: ≤ 10 %.
 * BENCH_ONLY=insightsUpkeep runs it alone.
 */
export async function insightsUpkeepCase(kit: BenchKit) {
  const api = await kit.startService('api', 'upkeep-api');
  const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
  try {
    for (let run = 0; run < kit.runs; run += 1) {
      for (const variant of run % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const worker = await kit.startService('worker', `upkeep-${variant}-worker`, { INSIGHTS_UPKEEP: variant });
        try {
          // A warm-up load first (JIT, caches, connections), measured by nobody.
          const warm = `up-warm-${variant}-${run}`;
          await kit.merchant(warm, 'x');
          await kit.load(warm, Math.round(kit.sales / 4));
          await kit.waitCredited(warm, Math.round(kit.sales / 4), 600_000);
          const id = `up-${variant}-${run}`;
          await kit.merchant(id, 'x');
          const before = cpuSnapshot();
          await kit.load(id, kit.sales);
          await kit.waitCredited(id, kit.sales, 600_000);
          const used = cpuBetween(before, cpuSnapshot(), { worker: (pid) => pid === worker.pid });
          cpu[variant].push((used.cpuSec.worker! * 1000) / kit.sales);
        } finally {
          await kit.stopService(worker);
        }
      }
    }
    // The upkeep did run in the "on" variant and not in the "off" one: figures exist for one only.
    const { rows } = await kit.pool.query<{ merchant_id: string; sales: number }>(
      `SELECT merchant_id, sum(sales)::int AS sales FROM insight_days WHERE merchant_id LIKE 'up-o%' GROUP BY 1 ORDER BY 1`,
    );
    const workerCpuMsPerSale = { off: spread(cpu.off), on: spread(cpu.on) };
    return {
      workerCpuMsPerSale,
      upkeepOverhead: round(workerCpuMsPerSale.on.median / workerCpuMsPerSale.off.median - 1, 3),
      counted: Object.fromEntries(rows.map((r) => [r.merchant_id, r.sales])),
    };
  } finally {
    await kit.stopService(api);
  }
}
