import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_REDIS_URL } from './context.js';

/** The built entry command, `npm run build:server`'s output. */
export const entryPath = path.resolve(import.meta.dirname, '../../dist/bin/main.js');

/** A started entry command: its exit, a wait for a line of its output, and the output so far. */
export interface EntryProcess {
  child: ChildProcess;
  exited: Promise<number | string>;
  line: (re: RegExp) => Promise<string>;
  output: () => string;
}

/**
 * Runs the built entry command (`dist/bin/main.js`, the container's CMD) as a plain process against one
 * database and queue prefix; every process started is kept in `children` for the file's cleanup.
 */
export function entryRunner(base: { databaseUrl: string; prefix: string }) {
  const children: ChildProcess[] = [];
  function run(env: Record<string, string>): EntryProcess {
    const child = spawn(process.execPath, [entryPath], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: base.databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: base.prefix,
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
  return { run, children };
}
