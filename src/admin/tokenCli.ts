import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { preparePostgres } from '../boot.js';
import { getMerchant } from '../merchants/repo.js';
import { insertToken, roleSchema } from './tokens.js';

const usage = 'usage: npm run token -- create --role admin|support|viewer --name NAME [--merchant MERCHANT_ID]';

async function run(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, merchant: { type: 'string' } },
  });
  if (positionals[0] !== 'create' || !values.name) throw new Error(usage);
  const role = roleSchema.safeParse(values.role);
  if (!role.success) throw new Error(`--role must be admin, support or viewer\n${usage}`);
  const config = loadConfig();
  await preparePostgres(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    if (values.merchant && !(await getMerchant(pool, values.merchant))) throw new Error(`merchant '${values.merchant}' does not exist`);
    const { token, record } = await insertToken(pool, { name: values.name, role: role.data, merchantId: values.merchant ?? null });
    const scope = record.merchantId ? `merchant ${record.merchantId}` : 'all merchants';
    process.stdout.write(`Created ${record.role} token '${record.name}' (id ${record.id}, ${scope}). It is shown only once:\n${token}\n`);
  } finally {
    await pool.end();
  }
}

run().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
