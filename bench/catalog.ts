import { salesDeps } from '../workers/index.js';
import { applyGenerated } from './applyGenerated.js';
import { benchMerchant, inProcess, seedCatalog, type CaseEnv } from './inProcess.js';
import { round, spread } from './stats.js';

/**
 * Per-sale worker cost with a 10,000-product catalog against a 50-product one, in the same run: the
 * worker's own code applies the same generated sales (two lines each, spread over the catalog) in
 * batches of SALES_BATCH_MAX for a merchant with each catalog, in alternating rounds after a warm-up
 * (caches loaded), and reports this process's CPU and the wall time per sale (wall includes PostgreSQL).
 * Target: the big catalog within 1.2× of the small one.
 */
export async function catalog(env: CaseEnv) {
  const perRound = Math.max(500, Math.round(2_000 * env.scale));
  const rounds = 7;
  const ctx = await inProcess(env, 'catalog');
  try {
    const catalogs = { small: 50, large: 10_000 } as const;
    for (const [name, size] of Object.entries(catalogs)) {
      await benchMerchant(ctx, `cat-${name}`, env.fakeUrl);
      await seedCatalog(ctx, `cat-${name}`, size);
    }
    const deps = salesDeps(ctx);
    const batch = ctx.config.SALES_BATCH_MAX;
    const next: Record<string, number> = { small: 0, large: 0 };
    const run = async (name: keyof typeof catalogs, count: number) => {
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const applied = await applyGenerated(deps, { merchantId: `cat-${name}`, first: next[name]!, count, batch, catalog: catalogs[name], idPrefix: name });
      const wallNs = Number(process.hrtime.bigint() - started);
      const used = process.cpuUsage(cpu);
      next[name]! += count;
      if (applied !== count) throw new Error(`catalog ${name}: ${applied} of ${count} applied`);
      return { cpuUs: (used.user + used.system) / count, wallUs: wallNs / 1_000 / count };
    };
    // Warm-up: each merchant's reference data read once into the cache, statements prepared.
    await run('small', batch * 4);
    await run('large', batch * 4);
    const results: Record<'small' | 'large', Array<{ cpuUs: number; wallUs: number }>> = { small: [], large: [] };
    for (let r = 0; r < rounds; r += 1) {
      for (const name of (r % 2 ? ['large', 'small'] : ['small', 'large']) as Array<'small' | 'large'>) results[name].push(await run(name, perRound));
    }
    const figure = (name: 'small' | 'large') => ({
      products: catalogs[name],
      cpuUsPerSale: spread(results[name].map((x) => x.cpuUs)),
      wallUsPerSale: spread(results[name].map((x) => x.wallUs)),
    });
    const small = figure('small');
    const large = figure('large');
    return {
      salesPerRound: perRound,
      rounds,
      batch,
      small,
      large,
      cpuRatio: round(large.cpuUsPerSale.median / small.cpuUsPerSale.median, 2),
      wallRatio: round(large.wallUsPerSale.median / small.wallUsPerSale.median, 2),
    };
  } finally {
    await ctx.close();
  }
}
