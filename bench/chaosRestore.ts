import path from 'node:path';
import { createPool } from '../src/db/pool.js';
import { plan, type Plan } from './chaosPlan.js';
import { runOracle } from './chaosOracle.js';
import { FakeLightspeed } from './fakeLightspeed.js';
import { deliverAll, newSendStats, reconnectFlagged, startService, waitApplied, waitDrained } from './chaosDrill.js';
import { sleep } from './processes.js';

/**
 * `npm run chaos -- --restore`: the operator's restore, rehearsed. The service runs on its own PostgreSQL
 * cluster under load; halfway through the webhooks `pg_dump -Fc` takes a backup; the original finishes
 * and is then lost (processes stopped, its Redis gone). The dump is restored with `pg_restore` into a
 * fresh database; the service starts on it with an empty Redis (the sweep re-queues the inbox rows the
 * backup caught in flight); every delivery reaches it again (Lightspeed re-sending what the original
 * took after the backup, and late copies of what it took before), then the returns. Then the oracle.
 */
export async function runRestoreDrill(opts: { sales: number; quick: boolean }): Promise<{ passed: number; failed: number }> {
  const label = 'drill restore';
  // One fake for both: the restored service polls the same store the original did.
  const fake = new FakeLightspeed({ accessTtlSeconds: 90, xOutlets: ['outlet-1'] });
  await fake.start();
  const original = await startService({ name: 'chaos-original', ownPostgres: true, apiProcesses: 1, workers: 2, fake });
  const pg = original.pg!;
  let restored: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    await original.startApi();
    const plans: Plan[] = Array.from({ length: opts.sales }, (_, i) => plan(i));
    fake.configure({ xSales20: plans.filter((p) => p.final.shape === '2.0').map((p) => p.final.payload as { version: number }) });
    for (let i = 0; i < 2; i += 1) await original.startWorker();
    const deliveries = plans.flatMap((p) => p.deliveries).sort(() => Math.random() - 0.5);
    const windowMs = opts.quick ? 10_000 : 40_000;
    const dumpFile = path.join(pg.dir, 'backup.dump');
    const dbName = new URL(original.databaseUrl).pathname.slice(1);
    console.log(`${label}: ${deliveries.length} deliveries of ${opts.sales} sales to the original over ${windowMs / 1000} s; pg_dump halfway`);
    let dumpedAt = 0;
    let dumpMs = 0;
    await Promise.all([
      deliverAll(original.url, deliveries, newSendStats(), windowMs),
      (async () => {
        await sleep(windowMs / 2);
        dumpedAt = Date.now();
        await pg.dump(dbName, dumpFile);
        dumpMs = Date.now() - dumpedAt;
      })(),
    ]);
    console.log(`${label}: pg_dump took ${dumpMs} ms under load`);
    // The original is lost: its processes and its Redis. Its database stays only as the cluster's files.
    await original.close(false);

    const restoredDb = `${dbName}_restored`;
    await pg.restore(dumpFile, restoredDb);
    const check = createPool(`${pg.url}/${restoredDb}`, { max: 1 });
    const { rows } = await check.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM sale_events GROUP BY 1 ORDER BY 1`);
    await check.end();
    const inFlight = rows.filter((r) => r.status !== 'done').reduce((a, r) => a + r.n, 0);
    console.log(`${label}: the backup holds ${rows.map((r) => `${r.n} ${r.status}`).join(', ')} inbox events (${inFlight} in flight)`);

    restored = await startService({
      name: 'chaos-restored',
      ownPostgres: true,
      pg,
      databaseName: restoredDb,
      seed: false,
      fake: fake,
      apiProcesses: 1,
      workers: 2,
    });
    await restored.startApi();
    for (let i = 0; i < 2; i += 1) await restored.startWorker();
    const stats = newSendStats();
    console.log(`${label}: restored into ${restoredDb}, empty Redis; every delivery sent again`);
    await deliverAll(
      restored.url,
      [...deliveries].sort(() => Math.random() - 0.5),
      stats,
      windowMs / 2,
    );
    // The operator's step after a restore: a store whose refresh token rotated after the backup is refused
    // at its next refresh (the restored token is spent) and flagged; it is reconnected (here: new tokens
    // PATCHed, as the connect flow would store them), and its sales, waiting meanwhile, are applied.
    await sleep(5_000);
    const flagged = await reconnectFlagged(restored, false);
    console.log(`${label}: ${flagged.length} merchants flagged for re-authorization (refresh token rotated after the backup): reconnected`);
    const finals = new Map(plans.map((p) => [`${p.merchantId}/${p.originalId}`, Number((p.final.payload as { version: number }).version)]));
    await waitApplied(restored.pool, finals, 900_000);
    for (const phase of [0, 1]) {
      const returns = plans
        .filter((p) => p.returns[phase])
        .flatMap((p) => Array.from({ length: 1 + (p.i % 3) }, () => ({ merchantId: p.merchantId, payload: p.returns[phase]! })));
      await deliverAll(restored.url, returns, stats);
      await waitApplied(
        restored.pool,
        new Map(plans.filter((p) => p.returns[phase]).map((p) => [`${p.merchantId}/${String(p.returns[phase]!.id)}`, 1])),
        900_000,
      );
    }
    await waitDrained(restored.pool, 300_000);
    console.log(`${label}: webhooks to the restored service: ${stats.ok} answered 200, ${stats.status503} 503, ${stats.noAnswer} without an answer`);
    return await runOracle({ pool: restored.pool, plans, acceptedEventIds: stats.acceptedEventIds }, label);
  } finally {
    await restored?.close(false);
    await original.close(false).catch(() => undefined);
    await pg.destroy();
    await fake.stop();
  }
}
