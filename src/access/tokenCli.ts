import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { preparePostgres } from '../boot.js';
import { getMerchant } from '../merchants/store/repo.js';
import { getDistributor } from '../frequentBuyer/store/distributors.js';
import { listTokens, revokeToken } from './store/apiTokens.js';
import { roleSchema } from './role.js';
import { insertToken } from './tokens.js';

const usage = `usage: npm run token -- create --role admin|support|viewer --name NAME [--merchant MERCHANT_ID]
       npm run token -- create --role distributor --name NAME --distributor DISTRIBUTOR_ID
       npm run token -- list                 (ids, names, roles, scopes; never the secret, only its hash is stored)
       npm run token -- revoke --id ID
       npm run token -- --help`;

async function run(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      merchant: { type: 'string' },
      distributor: { type: 'string' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command || !['create', 'list', 'revoke'].includes(command)) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) process.exitCode = 1;
    return;
  }
  let create: { role: ReturnType<typeof roleSchema.parse>; name: string; distributorId: number | null } | null = null;
  if (command === 'create') {
    if (!values.name) throw new Error(usage);
    const role = roleSchema.safeParse(values.role);
    if (!role.success) throw new Error(`--role must be admin, support, viewer or distributor\n${usage}`);
    const distributorId = values.distributor ? Number(values.distributor) : null;
    if ((role.data === 'distributor') !== (distributorId !== null) || (distributorId !== null && !Number.isInteger(distributorId))) {
      throw new Error(`--distributor DISTRIBUTOR_ID goes with --role distributor, and only with it\n${usage}`);
    }
    if (role.data === 'distributor' && values.merchant) throw new Error(`a distributor token is not scoped to a merchant\n${usage}`);
    create = { role: role.data, name: values.name, distributorId };
  }
  const revokeId = command === 'revoke' ? Number(values.id) : null;
  if (revokeId !== null && !Number.isInteger(revokeId)) throw new Error(`revoke needs --id ID (see npm run token -- list)\n${usage}`);
  const config = loadConfig();
  await preparePostgres(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    if (command === 'list') {
      for (const t of await listTokens(pool)) {
        const scope = t.distributorId ? `distributor ${t.distributorId}` : t.merchantId ? `merchant ${t.merchantId}` : 'all merchants';
        process.stdout.write(
          `${t.id}\t${t.name}\t${t.role}\t${scope}\t${t.createdAt.toISOString()}\t${t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active'}\n`,
        );
      }
      return;
    }
    if (revokeId !== null) {
      if (!(await revokeToken(pool, revokeId))) throw new Error(`no active token with id ${revokeId}`);
      process.stdout.write(`Revoked token ${revokeId}.\n`);
      return;
    }
    const { role, name, distributorId } = create!;
    if (values.merchant && !(await getMerchant(pool, values.merchant))) throw new Error(`merchant '${values.merchant}' does not exist`);
    if (distributorId !== null && !(await getDistributor(pool, distributorId))) throw new Error(`distributor ${distributorId} does not exist`);
    const { token, record } = await insertToken(pool, { name, role, merchantId: values.merchant ?? null, distributorId });
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
