import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../helpers/context.js';

// The built CLIs as `npm run token -- …` and `npm run user -- …` run them (npm test builds the server first).
const root = path.resolve(import.meta.dirname, '../../..');
const dbName = `tokcli_${randomBytes(4).toString('hex')}`;
const DATABASE_URL = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${dbName}` }).toString();
const exec = promisify(execFile);
const cli = async (script: string, ...args: string[]) => {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(root, script), ...args], { env: { PATH: process.env.PATH, DATABASE_URL } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
const token = (...args: string[]) => cli('dist/src/access/tokenCli.js', ...args);

afterAll(async () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

describe('npm run token', () => {
  it('--help prints the usage and succeeds; no command prints it and fails', async () => {
    const help = await token('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/npm run token -- list/);
    expect(help.stdout).toMatch(/npm run token -- revoke --id ID/);
    expect((await token()).code).toBe(1);
  });

  it('creates, lists (never the secret) and revokes a token', async () => {
    const created = await token('create', '--role', 'support', '--name', 'alice');
    expect(created.code).toBe(0);
    const secret = created.stdout.trim().split('\n').at(-1)!;
    const id = /id (\d+)/.exec(created.stdout)![1]!;
    const listed = await token('list');
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\talice\\tsupport\\tall merchants\\t\\S+\\tactive$`, 'm'));
    expect(listed.stdout).not.toContain(secret);
    expect((await token('revoke', '--id', id)).stdout).toContain(`Revoked token ${id}`);
    expect((await token('list')).stdout).toMatch(new RegExp(`^${id}\\talice\\t.*\\trevoked `, 'm'));
    const again = await token('revoke', '--id', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no active token with id ${id}`);
  }, 60_000);
});

describe('npm run user', () => {
  it('--help prints the usage and succeeds', async () => {
    const help = await cli('dist/src/staff/userCli.js', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/npm run user -- create/);
  });
});
