import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** A connection of its own, outside the pool (a LISTEN holds it for the process's life). */
export type DedicatedClient = pg.Client;
/** Anything that can run a query: the pool or a client inside a transaction. */
export type Db = Pick<pg.Pool, 'query'> | pg.PoolClient;

// Money and counters arrive as int8; they stay well inside Number's safe range for points.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function createPool(url: string, options: { schema?: string; max?: number } = {}): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    // pg's default closes a connection idle for 10 s. Under a bursty rate (a soak at 100 sales/s) that
    // reopened about one backend every 2.5 s per service, and each new one pays a fork, authentication
    // and cold catalog caches inside some sale's latency. A minute keeps the pool warm between bursts.
    idleTimeoutMillis: 60_000,
    // A test or a tenant may live in its own schema; everything below uses unqualified names.
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  });
}

/** A connection with the pool's settings (URL, schema) that the pool does not count: for a LISTEN. */
export async function connectDedicated(pool: pg.Pool): Promise<pg.Client> {
  const client = new pg.Client(pool.options);
  await client.connect();
  return client;
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection that dies while checked out, between two statements, emits 'error' on the client itself
  // (the pool listens only on idle ones). Unheard, it crashed every worker when PostgreSQL restarted (the
  // postgres drill); heard, the next statement fails, the transaction's caller sees that error, and the
  // broken connection is destroyed instead of going back to the pool.
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}

/** The cheapest round trip: throws when PostgreSQL cannot answer (the readiness probe). */
export async function pingPostgres(db: Db): Promise<void> {
  await db.query('SELECT 1');
}

// A savepoint's name is SQL text, not a parameter: only plain identifiers are let through.
const savepointName = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a savepoint name: ${name}`);
  return name;
};

/** Marks a point inside a transaction that a failed statement can be rolled back to, the rest kept. */
export async function savepoint(client: Db, name: string): Promise<void> {
  await client.query(`SAVEPOINT ${savepointName(name)}`);
}

export async function rollbackToSavepoint(client: Db, name: string): Promise<void> {
  await client.query(`ROLLBACK TO SAVEPOINT ${savepointName(name)}`);
}

export async function releaseSavepoint(client: Db, name: string): Promise<void> {
  await client.query(`RELEASE SAVEPOINT ${savepointName(name)}`);
}
