import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { preparePostgres } from '../boot.js';
import { getMerchant } from '../merchants/repo.js';
import { insertToken, roleSchema } from '../access/tokens.js';

const usage = 'usage: npm run token -- create --role admin|support|viewer --name NAME [--merchant MERCHANT_ID]\n       npm run token -- create --role distributor --name NAME --distributor DISTRIBUTOR_ID';

async function run(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, merchant: { type: 'string' }, distributor: { type: 'string' } },
  });
  if (positionals[0] !== 'create' || !values.name) throw new Error(usage);
  const role = roleSchema.safeParse(values.role);
  if (!role.success) throw new Error(`--role must be admin, support, viewer or distributor\n${usage}`);
  const distributorId = values.distributor ? Number(values.distributor) : null;
  if ((role.data === 'distributor') !== (distributorId !== null) || (distributorId !== null && !Number.isInteger(distributorId))) {
    throw new Error(`--distributor DISTRIBUTOR_ID goes with --role distributor, and only with it\n${usage}`);
  }
  if (role.data === 'distributor' && values.merchant) throw new Error(`a distributor token is not scoped to a merchant\n${usage}`);
  const config = loadConfig();
  await preparePostgres(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    if (values.merchant && !(await getMerchant(pool, values.merchant))) throw new Error(`merchant '${values.merchant}' does not exist`);
    if (distributorId !== null && !(await pool.query(`SELECT 1 FROM distributors WHERE id = $1`, [distributorId])).rowCount) throw new Error(`distributor ${distributorId} does not exist`);
    const { token, record } = await insertToken(pool, { name: values.name, role: role.data, merchantId: values.merchant ?? null, distributorId });
    const scope = record.distributorId ? `distributor ${record.distributorId}` : record.merchantId ? `merchant ${record.merchantId}` : 'all merchants';
    process.stdout.write(`Created ${record.role} token '${record.name}' (id ${record.id}, ${scope}). It is shown only once:\n${token}\n`);
  } finally {
    await pool.end();
  }
}

run().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
