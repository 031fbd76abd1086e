import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runner } from 'node-pg-migrate';

const here = path.dirname(fileURLToPath(import.meta.url));
// Works from src/db (tsx, vitest) and dist/src/db (built): migrations/ sits at the project root.
export const migrationsDir = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..', 'migrations');

/** Creates the database named in the URL when it does not exist yet (developer machines). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // Another process created it between our probe and now.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies pending migrations in `schema` (created if missing). node-pg-migrate takes one advisory lock
 * per database and gives up at once when another process holds it; an API and a worker starting together
 * (docker compose) or test files migrating their own schemas in parallel then wait for it instead, up
 * to `lockWaitMs`.
 */
export async function migrate(url: string, schema = 'public', lockWaitMs = 120_000): Promise<void> {
  const deadline = Date.now() + lockWaitMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await migrateOnce(url, schema);
    } catch (error) {
      const busy = /another migration is already running/i.test((error as Error).message ?? '');
      if (!busy || Date.now() > deadline) throw error;
      await sleep(Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

async function migrateOnce(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await runner({
      dbClient: client,
      dir: migrationsDir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      schema,
      createSchema: true,
      checkOrder: true,
      log: () => undefined,
    });
  } finally {
    await client.end();
  }
}
