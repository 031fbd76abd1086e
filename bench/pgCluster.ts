import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` system user. */
const asRoot = process.getuid?.() === 0;
const run = (file: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) =>
  asRoot ? exec('runuser', ['-u', 'postgres', '--', file, ...args], options) : exec(file, args, options);

const passwd = (field: 2 | 3) => Number(/^postgres:[^:]*:(\d+):(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'))?.[field - 1] ?? NaN);
const postgresUid = () => passwd(2);
const postgresGid = () => passwd(3);

/**
 * A private PostgreSQL cluster for a drill (a temporary data directory on its own port, trust auth on
 * loopback), so that it can be stopped hard and restarted without touching the machine's shared server.
 */
export class PgCluster {
  readonly dir: string;
  private running = false;

  constructor(readonly port: number) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'drill-pg-'));
    if (asRoot) chownSync(this.dir, postgresUid(), postgresGid());
  }

  /** `postgres://postgres@127.0.0.1:<port>` (append `/<db>`). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  async init(): Promise<void> {
    await run(path.join(BIN, 'initdb'), ['-D', path.join(this.dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
      env: { ...process.env, LC_ALL: 'C' },
    });
    // Small and local: no disk flush waits (a drill, not a durability test of the disk), few connections.
    writeFileSync(
      path.join(this.dir, 'data', 'postgresql.auto.conf'),
      [
        `port = ${this.port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${this.dir}'`,
        'max_connections = 200',
        'shared_buffers = 64MB',
        'fsync = on',
        'synchronous_commit = on',
        'log_min_messages = warning',
        '',
      ].join('\n'),
    );
    if (asRoot) chownSync(path.join(this.dir, 'data', 'postgresql.auto.conf'), postgresUid(), postgresGid());
    await this.start();
  }

  async start(): Promise<void> {
    await run(path.join(BIN, 'pg_ctl'), ['-D', path.join(this.dir, 'data'), '-l', path.join(this.dir, 'log'), '-w', '-t', '60', 'start']);
    this.running = true;
  }

  /** `-m immediate`: no checkpoint, every connection cut; the next start replays the WAL (a crash). */
  async crash(): Promise<void> {
    this.running = false;
    await run(path.join(BIN, 'pg_ctl'), ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await run(path.join(BIN, 'pg_ctl'), ['-D', path.join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  }

  /** Stops the cluster if it runs and deletes its directory. */
  async destroy(): Promise<void> {
    await run(path.join(BIN, 'pg_ctl'), ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    this.running = false;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A plain-SQL dump of one database (`pg_dump`), written to `file`. */
  async dump(db: string, file: string): Promise<void> {
    await run(path.join(BIN, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-Fc', '-f', file, db]);
  }

  /** `pg_restore` of a dump into a fresh database `db` (created here). */
  async restore(file: string, db: string): Promise<void> {
    await run(path.join(BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', db]);
    await run(path.join(BIN, 'pg_restore'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '--no-owner', '-d', db, file]);
  }
}
