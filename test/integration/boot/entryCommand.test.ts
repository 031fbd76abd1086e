import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../helpers/context.js';

// The container's entry command (Dockerfile CMD), run as a plain process.
const root = path.resolve(import.meta.dirname, '../../..');
const entry = path.join(root, 'dist/bin/main.js');
const stamp = randomBytes(4).toString('hex');
const dbName = `entry_${stamp}`;
const prefix = `{entry-${stamp}}`;
const databaseUrl = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${dbName}` }).toString();
const children: ChildProcess[] = [];

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? `signal ${signal}`)));
  const line = (re: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = re.exec(output);
        if (m) return resolve(m[0]);
        setTimeout(check, 50);
      };
      void exited.then(() =>
        setTimeout(() => (re.test(output) ? resolve(re.exec(output)![0]) : reject(new Error(`exited without ${re}: ${output.slice(-1500)}`))), 50),
      );
      check();
    });
  return { child, exited, line, output: () => output };
}

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
