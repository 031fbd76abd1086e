/**
 * The X pipeline (API + one worker process) on a local 3-master Redis Cluster, created here and removed
 * after: sales/s like pipeline X, and a check that every sale is credited exactly once.
 */
import { RedisCluster, redisBinariesPresent } from './redisCluster.js';
import type { BenchKit } from './kit.js';
import { round, spread } from './stats.js';

export async function clusterCase(kit: BenchKit) {
  if (!redisBinariesPresent()) return { skipped: 'redis-server or redis-cli not found' };
  const cluster = new RedisCluster();
  await cluster.start();
  const env = { REDIS_CLUSTER_NODES: cluster.nodes };
  try {
    const api = await kit.startService('api', 'cluster-api', env);
    const worker = await kit.startService('worker', 'cluster-worker', env);
    const runs = [];
    for (let run = 0; run < kit.runs; run += 1) {
      const id = `cluster-${run}`;
      await kit.merchant(id, 'x');
      await kit.load(id, kit.sales);
      await kit.waitCredited(id, kit.sales, 600_000);
      const l = await kit.latencies(id);
      const { rows } = await kit.pool.query<{ entries: number; sales: number }>(
        `SELECT count(*)::int AS entries, count(DISTINCT sale_id)::int AS sales FROM ledger_entries WHERE merchant_id = $1 AND kind = 'earn'`,
        [id],
      );
      runs.push({ salesPerSec: kit.sales / ((l.last - l.first) / 1000), p99: l.p99, ...rows[0]! });
    }
    const byNode = await cluster.keysByNode(kit.prefix);
    await kit.stopService(api);
    await kit.stopService(worker);
    return {
      nodes: cluster.ports.length,
      salesPerSec: spread(runs.map((r) => r.salesPerSec)),
      p99LatencyMs: spread(runs.map((r) => r.p99)),
      // Exactly once: as many earn entries as sales sent, each sale once.
      creditedOnce: runs.every((r) => r.entries === kit.sales && r.sales === kit.sales),
      entries: runs.map((r) => r.entries),
      nodesHoldingKeys: byNode.size,
      keys: round([...byNode.values()].flat().length, 0),
    };
  } finally {
    await cluster.stop();
  }
}
