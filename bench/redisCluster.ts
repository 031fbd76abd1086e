import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { createRedis, pingRedis } from '../src/queue/connections.js';
import { freePort } from './redisServer.js';

const run = promisify(execFile);

/** Whether `redis-server` and `redis-cli` can be run here (the cluster test skips without them). */
export function redisBinariesPresent(): boolean {
  return ['redis-server', 'redis-cli'].every((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * A throw-away 3-master Redis Cluster on loopback (no persistence, no replicas) in a temporary directory,
 * created with `redis-cli --cluster create` and removed by `stop()`.
 */
export class RedisCluster {
  private readonly children: ChildProcess[] = [];
  private dir = '';
  ports: number[] = [];

  /** `host:port,host:port,host:port`, the form REDIS_CLUSTER_NODES takes. */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  async start(size = 3): Promise<void> {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'redis-cluster-'));
    for (let i = 0; i < size; i += 1) this.ports.push(await freePort());
    for (const port of this.ports) {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes'];
      args.push('--cluster-config-file', path.join(this.dir, `nodes-${port}.conf`), '--dir', this.dir);
      this.children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    for (const port of this.ports) {
      const probe = createRedis(`redis://127.0.0.1:${port}`, 'worker', { retryStrategy: () => 50 });
      try {
        await pingRedis(probe, 5_000);
      } finally {
        probe.disconnect();
      }
    }
    await run('redis-cli', ['--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    await this.waitUntilOk();
  }

  /** `--cluster create` returns once slots are assigned; clients need every node to agree the cluster is ok. */
  private async waitUntilOk(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        this.ports.map(async (p) => (await run('redis-cli', ['-p', String(p), 'cluster', 'info'])).stdout.match(/cluster_state:(\w+)/)?.[1]),
      );
      if (states.every((s) => s === 'ok')) return;
      if (Date.now() > deadline) throw new Error(`cluster not ok after ${timeoutMs} ms: ${states.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A client of the whole cluster (the caller disconnects it). */
  client(): Cluster {
    return new Cluster(this.ports.map((port) => ({ host: '127.0.0.1', port })));
  }

  /** Which master port holds each key under `prefix` (scanning every node). */
  async keysByNode(prefix: string): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const port of this.ports) {
      const redis = createRedis(`redis://127.0.0.1:${port}`, 'worker');
      try {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
        if (keys.length) out.set(port, keys);
      } finally {
        redis.disconnect();
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    this.children.length = 0;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
