import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FakeLightspeed } from '../../tools/fake-lightspeed/index.js';
import { answers } from './api.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fake at `url`: the one already answering there, or one started in this process. */
export async function fakeAt(url: string): Promise<{ url: string; started: FakeLightspeed | null }> {
  if (await answers(`${url}/_fake`)) return { url, started: null };
  const where = new URL(url);
  const fake = new FakeLightspeed();
  await fake.start(Number(where.port || 80), where.hostname);
  return { url: fake.url, started: fake };
}

/**
 * The service at `serviceUrl`: the one already answering `/readyz`, or `node dist/bin/main.js` started
 * here against the fake (token refreshes and button keys there, R polls every 5 s), its log in
 * `.demo/service.log`. The first-start admin token, if the database had none, is passed on to the terminal.
 */
export async function serviceAt(
  root: string,
  serviceUrl: string,
  fakeEnv: Record<string, string>,
): Promise<{ started: ChildProcess | null; firstToken: string | null }> {
  if (await answers(`${serviceUrl}/readyz`)) return { started: null, firstToken: null };
  const where = new URL(serviceUrl);
  mkdirSync(path.join(root, '.demo'), { recursive: true });
  const log = createWriteStream(path.join(root, '.demo', 'service.log'), { flags: 'a' });
  const child = spawn(process.execPath, [path.join(root, 'dist/bin/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      ...fakeEnv,
      HOST: where.hostname,
      PORT: where.port || '80',
      R_POLL_EVERY_MS: process.env.R_POLL_EVERY_MS ?? '5000',
      X_POLL_EVERY_MS: process.env.X_POLL_EVERY_MS ?? '30000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    if (output.length < 100_000) output += chunk.toString('utf8');
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 90_000;
  while (!(await answers(`${serviceUrl}/readyz`))) {
    if (exited !== null) throw new Error(`the service exited (${exited}) before answering; its output:\n${output.slice(-2_000)}`);
    if (Date.now() > deadline) throw new Error(`the service did not answer ${serviceUrl}/readyz within 90 s; see .demo/service.log`);
    await sleep(250);
  }
  const firstToken = /admin token was created[^\n]*\n\s*\n\s*(\S+)/.exec(output)?.[1] ?? null;
  return { started: child, firstToken };
}
