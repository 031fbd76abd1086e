import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../helpers/context.js';
import { entryRunner } from '../../helpers/entryProcess.js';

/**
 * Issue 23 item 10: on a taken port the entry command logged "listening on …" and ran on serving nothing
 * (Express 5 hands the listen error to the callback, which ignored it); a bad SECRETS_KEY did not name its
 * variable and exited 1 where other configuration errors exit 2.
 */
const stamp = randomBytes(4).toString('hex');
const dbName = `bootErr_${stamp}`.toLowerCase();
const prefix = `{booterr-${stamp}}`;
const databaseUrl = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${dbName}` }).toString();
const { run, children } = entryRunner({ databaseUrl, prefix });

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

describe('the entry command refuses to start, saying why', () => {
  it('exits 1 naming the port when the port is already in use, and never says it is listening', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const p = run({ PORT: String(port), ADMIN_TOKEN: 'boot-errors-admin-token-0123456789ab' });
      expect(await p.exited).toBe(1);
      expect(p.output()).toContain(`port ${port} is already in use`);
      expect(p.output()).not.toMatch(/listening on/);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 90_000);

  it.each([
    [{ SECRETS_KEY: 'garbage' }, /^Invalid setting SECRETS_KEY: /m],
    [{ PORT: 'eighty' }, /^Invalid setting PORT: /m],
    [{ NODE_ENV: 'production', SECRETS_KEY: `k1:${randomBytes(32).toString('base64')}` }, /^Invalid setting SESSION_SECRET: /m],
  ])(
    'a configuration error (%o) names its variable and exits 2',
    async (env, line) => {
      const p = run(env);
      expect(await p.exited).toBe(2);
      expect(p.output()).toMatch(line);
    },
    90_000,
  );
});
