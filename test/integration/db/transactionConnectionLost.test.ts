import { expect, it } from 'vitest';
import { createPool, withTransaction } from '../../../src/db/pool.js';
import { TEST_DATABASE_URL } from '../../helpers/context.js';

// Found by the postgres drill: PostgreSQL restarted while every worker held a transaction's client between
// two statements; the dying connection emitted 'error' on that checked-out client, which nothing listened
// to, and all three worker processes crashed at once. Unhandled here, it fails the run.
it('a transaction whose connection dies between two statements fails with an error instead of crashing the process', async () => {
  const pool = createPool(TEST_DATABASE_URL, { max: 2 });
  pool.on('error', () => undefined);
  const killer = createPool(TEST_DATABASE_URL, { max: 1 });
  try {
    const outcome = withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await killer.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      // Work that is not a statement (a Lightspeed call, a wait) while the connection goes away.
      await new Promise((r) => setTimeout(r, 300));
      await client.query('SELECT 1');
    });
    await expect(outcome).rejects.toThrow();
    // The pool hands out a working connection afterwards.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  } finally {
    await pool.end();
    await killer.end();
  }
});
