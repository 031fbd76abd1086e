import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../helpers/context.js';
import { entryPath as entry, entryRunner } from '../../helpers/entryProcess.js';

// The container's entry command (Dockerfile CMD), run as a plain process.
const stamp = randomBytes(4).toString('hex');
const dbName = `entry_${stamp}`;
const prefix = `{entry-${stamp}}`;
const databaseUrl = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${dbName}` }).toString();
const { run, children } = entryRunner({ databaseUrl, prefix });

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

describe('the entry command (node dist/bin/main.js)', () => {
  it('is built (npm test builds the server first)', () => {
    expect(existsSync(entry)).toBe(true);
  });

  it('creates its database, migrates, listens on the bound address, answers /readyz, stops on SIGTERM', async () => {
    const p = run({ ADMIN_TOKEN: 'entry-admin-token-0123456789abcdef' });
    const listening = await p.line(/listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = listening.replace('listening on ', '');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);

  it('fails at once with one line naming Redis when BOOT_RETRIES is 0 (the default)', async () => {
    const p = run({ REDIS_URL: `redis://127.0.0.1:${await deadPort()}` });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/Redis is not reachable at 127\.0\.0\.1:\d+/);
    expect(p.output()).not.toMatch(/not ready/);
  }, 60_000);

  it('waits for a dependency with bounded, logged retries, then starts once it answers', async () => {
    const port = await deadPort();
    const p = run({ REDIS_URL: `redis://127.0.0.1:${port}`, BOOT_RETRIES: '100', BOOT_RETRY_DELAY_MS: '200' });
    await p.line(/redis not ready \(attempt 2 of 101\)/);
    // Redis appears on that port: a TCP relay to the real one.
    const relay = createServer((socket) => {
      const upstream = new URL(TEST_REDIS_URL);
      const out = new Socket();
      out.connect(Number(upstream.port || 6379), upstream.hostname);
      socket.pipe(out).pipe(socket);
      socket.on('error', () => out.destroy());
      out.on('error', () => socket.destroy());
    });
    await new Promise<void>((r) => relay.listen(port, '127.0.0.1', r));
    try {
      const url = (await p.line(/listening on http:\/\/127\.0\.0\.1:\d+/)).replace('listening on ', '');
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      relay.close();
    }
  }, 90_000);

  it('gives up after its retries, naming the dependency', async () => {
    const p = run({ REDIS_URL: `redis://127.0.0.1:${await deadPort()}`, BOOT_RETRIES: '2', BOOT_RETRY_DELAY_MS: '50' });
    expect(await p.exited).toBe(1);
    expect(p.output().match(/redis not ready/g)).toHaveLength(2);
    expect(p.output()).toMatch(/Redis is not reachable/);
  }, 60_000);
});
