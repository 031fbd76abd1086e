import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { migrate } from '../../../src/db/migrate.js';
import { TEST_DATABASE_URL } from '../../helpers/context.js';

// node-pg-migrate's advisory lock id (one per database, whatever the schema).
const LOCK_ID = '7241865325823964';

it('waits for another process migrating the same database instead of failing at once', async () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await holder.connect();
  try {
    // Wait our turn if a parallel test file is migrating right now, then hold the lock ourselves.
    await holder.query(`SELECT pg_advisory_lock(${LOCK_ID})`);
    let done = false;
    const migrating = migrate(TEST_DATABASE_URL, schema).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    await holder.query(`SELECT pg_advisory_unlock(${LOCK_ID})`);
    await migrating;
    const { rows } = await holder.query(`SELECT count(*)::int AS n FROM ${schema}.pgmigrations`);
    expect(rows[0].n).toBeGreaterThan(0);
  } finally {
    await holder.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await holder.end();
  }
});

it('gives up after its wait when the lock stays taken', async () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await holder.connect();
  try {
    await holder.query(`SELECT pg_advisory_lock(${LOCK_ID})`);
    await expect(migrate(TEST_DATABASE_URL, schema, 200)).rejects.toThrow(/another migration is already running/i);
  } finally {
    await holder.query(`SELECT pg_advisory_unlock(${LOCK_ID})`);
    await holder.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await holder.end();
  }
});
