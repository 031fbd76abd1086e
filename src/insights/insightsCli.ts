import { preparePostgres } from '../boot.js';
import { loadConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { merchantIdsToRebuild, rebuildInsights } from './store/rebuild.js';

const usage = 'usage: npm run insights -- rebuild [--merchant <id>]   (recomputes the Insights rollups from the stored decisions and ledger entries)';

async function run(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'rebuild') throw new Error(usage);
  let merchant: string | null = null;
  if (rest.length) {
    if (rest[0] !== '--merchant' || !rest[1] || rest.length !== 2) throw new Error(usage);
    merchant = rest[1];
  }
  const config = loadConfig();
  await preparePostgres(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    const ids = merchant ? [merchant] : await merchantIdsToRebuild(pool);
    for (const id of ids) {
      const sales = await rebuildInsights(pool, id);
      process.stdout.write(`${id}: ${sales} sale(s) counted\n`);
    }
  } finally {
    await pool.end();
  }
}

run().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
