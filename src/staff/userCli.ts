import { parseArgs } from 'node:util';
import { preparePostgres } from '../boot.js';
import { loadConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { getMerchant } from '../merchants/store/repo.js';
import { hashPassword } from './password.js';
import { endStaffSessions } from './store/staffSessions.js';
import { listStaffUsers, setStaffPassword } from './store/staffUsers.js';
import {
  disableStaffUser,
  distributorExists,
  enableStaffUser,
  findStaffUserByEmail,
  insertStaffUser,
  newPasswordSchema,
  PASSWORD_MIN_LENGTH,
  staffUserCreateSchema,
} from './users.js';

const usage = `usage: npm run user -- create --email EMAIL --name NAME --role admin|support|viewer [--merchant MERCHANT_ID]
       npm run user -- create --email EMAIL --name NAME --role distributor --distributor DISTRIBUTOR_ID
                              (the password, ${PASSWORD_MIN_LENGTH} characters or more, is read from the USER_PASSWORD variable, or asked on the terminal)
       npm run user -- list [--merchant MERCHANT_ID]
       npm run user -- disable --email EMAIL
       npm run user -- enable --email EMAIL
       npm run user -- reset-password --email EMAIL   (a temporary password, as for create: the person
                              chooses their own at the next sign-in; their sessions end now)`;

/** Reads a password without echoing it (or from USER_PASSWORD, for scripts). */
async function readPassword(): Promise<string> {
  if (process.env.USER_PASSWORD) return process.env.USER_PASSWORD;
  if (!process.stdin.isTTY) throw new Error(`set USER_PASSWORD or run this in a terminal\n${usage}`);
  process.stdout.write(`Password (${PASSWORD_MIN_LENGTH}+ characters): `);
  process.stdin.setRawMode(true);
  return new Promise((resolve) => {
    let value = '';
    process.stdin.on('data', (chunk) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (char === '\u0003') process.exit(130);
        value = char === '\u007f' ? value.slice(0, -1) : value + char;
      }
    });
  });
}

async function run(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      merchant: { type: 'string' },
      distributor: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command || !['create', 'list', 'disable', 'enable', 'reset-password'].includes(command)) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) process.exitCode = 1;
    return;
  }
  const config = loadConfig();
  await preparePostgres(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  try {
    if (command === 'list') {
      for (const u of await listStaffUsers(pool, values.merchant ?? null)) {
        process.stdout.write(
          `${u.id}\t${u.email}\t${u.name}\t${u.role}\t${u.distributorId ? `distributor ${u.distributorId}` : (u.merchantId ?? 'all merchants')}\t${u.disabledAt ? 'disabled' : 'active'}\n`,
        );
      }
      return;
    }
    if (command === 'disable') {
      if (!values.email) throw new Error(usage);
      if (!(await disableStaffUser(pool, values.email))) throw new Error(`no active person with the email ${values.email}`);
      process.stdout.write(`Disabled ${values.email}: their sessions end at their next request.\n`);
      return;
    }
    if (command === 'enable') {
      if (!values.email) throw new Error(usage);
      if (!(await enableStaffUser(pool, values.email))) throw new Error(`no disabled person with the email ${values.email}`);
      process.stdout.write(`Enabled ${values.email}: they can sign in again.\n`);
      return;
    }
    if (command === 'reset-password') {
      if (!values.email) throw new Error(usage);
      const person = await findStaffUserByEmail(pool, values.email);
      if (!person) throw new Error(`no person with the email ${values.email}`);
      const password = newPasswordSchema.safeParse(await readPassword());
      if (!password.success) throw new Error(`password: ${password.error.issues[0]!.message}\n${usage}`);
      await setStaffPassword(pool, person.id, await hashPassword(password.data), true);
      const ended = await endStaffSessions(pool, person.id);
      process.stdout.write(`Reset the password of ${person.email} (${ended} session(s) ended); they choose a new one at their next sign-in.\n`);
      return;
    }
    if (values.merchant && !(await getMerchant(pool, values.merchant))) throw new Error(`merchant '${values.merchant}' does not exist`);
    const distributorId = values.distributor === undefined ? null : Number(values.distributor);
    if (distributorId !== null && !(Number.isInteger(distributorId) && (await distributorExists(pool, distributorId)))) {
      throw new Error(`distributor '${values.distributor}' does not exist`);
    }
    const input = staffUserCreateSchema.safeParse({
      email: values.email,
      name: values.name,
      role: values.role,
      merchantId: values.merchant ?? null,
      distributorId,
      password: await readPassword(),
    });
    if (!input.success) {
      const issue = input.error.issues[0]!;
      throw new Error(`${issue.path.join('.') || 'input'}: ${issue.message}\n${usage}`);
    }
    const user = await insertStaffUser(pool, input.data);
    if (!user) throw new Error(`a person with the email ${input.data.email} already exists`);
    process.stdout.write(
      `Created ${user.role} ${user.email} (${user.distributorId ? `distributor ${user.distributorId}` : user.merchantId ? `merchant ${user.merchantId}` : 'all merchants'}). Sign in at /console.\n`,
    );
  } finally {
    await pool.end();
  }
}

run().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
