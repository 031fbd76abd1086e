import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../helpers/context.js';
import { entryRunner } from '../../helpers/entryProcess.js';

// The entry command with ROLE=api and API_PROCESSES=2: one supervising process, two serving one port.
const stamp = randomBytes(4).toString('hex');
const dbName = `apiproc_${stamp}`;
const prefix = `{apiproc-${stamp}}`;
const databaseUrl = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${dbName}` }).toString();
const { run, children } = entryRunner({ databaseUrl, prefix });

/** Live processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  await deleteKeys(TEST_REDIS_URL, prefix);
});

describe('API_PROCESSES', () => {
  it('with 2, two API processes share the port; one that dies is replaced; SIGTERM stops all', async () => {
    const p = run({ ROLE: 'api', API_PROCESSES: '2', ADMIN_TOKEN: 'apiproc-admin-token-0123456789abcdef' });
    const ready = await p.line(/all 2 API processes listening on port \d+/);
    const port = Number(/port (\d+)/.exec(ready)![1]);
    const primary = p.child.pid!;
    expect(childrenOf(primary)).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status)));
    expect(answers).toEqual(Array(20).fill(200));

    const [first] = childrenOf(primary);
    process.kill(first!, 'SIGKILL');
    await p.line(/an API process exited; starting another/);
    await until(() => childrenOf(primary).length === 2 && !childrenOf(primary).includes(first!), 'a replacement API process');
    await p.line(/all 2 API processes listening[\s\S]*all 2 API processes listening/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const children = childrenOf(primary);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(children.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
  }, 60_000);

  it('once started, a replacement killed before it listens is replaced again: the service does not stop', async () => {
    const p = run({ ROLE: 'api', API_PROCESSES: '2', ADMIN_TOKEN: 'apiproc-admin-token-0123456789abcdef' });
    const ready = await p.line(/all 2 API processes listening on port \d+/);
    const port = Number(/port (\d+)/.exec(ready)![1]);
    const primary = p.child.pid!;
    const before = childrenOf(primary);
    process.kill(before[0]!, 'SIGKILL');
    // The replacement, killed while it boots (as `npm run chaos`, drill api, kills API processes at random).
    await until(() => childrenOf(primary).some((pid) => !before.includes(pid)), 'a replacement API process');
    const replacement = childrenOf(primary).find((pid) => !before.includes(pid))!;
    expect(p.output()).not.toMatch(/all 2 API processes listening[\s\S]*all 2 API processes listening/);
    process.kill(replacement, 'SIGKILL');
    await p.line(/all 2 API processes listening[\s\S]*all 2 API processes listening/);
    expect(p.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 60_000);

  it('more than 1 needs ROLE=api', async () => {
    const p = run({ ROLE: 'all', API_PROCESSES: '2' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('API_PROCESSES: more than 1 needs ROLE=api');
  });
});
