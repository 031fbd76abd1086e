import { loadConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { preparePostgres } from '../boot.js';
import { installKeyring } from '../secrets/keyring.js';
import { sealAllSecrets } from './rotateSecrets.js';

const usage = 'usage: npm run secrets -- rotate   (re-encrypts every stored secret under the first key of SECRETS_KEY)';

async function run(): Promise<void> {
  if (process.argv[2] !== 'rotate') throw new Error(usage);
  const config = loadConfig();
  const ring = installKeyring(config, (message) => console.error(`warning: ${message}`));
  await preparePostgres(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    const changed = await sealAllSecrets(pool, ring);
    process.stdout.write(`Re-encrypted ${changed.merchants} merchant row(s) and ${changed.endpoints} webhook endpoint(s) under key ${ring.currentKid}.\n`);
  } finally {
    await pool.end();
  }
}

run().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
