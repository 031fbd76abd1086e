import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger.js';

/**
 * `API_PROCESSES` > 1 with ROLE=api: this (primary) process forks that many API processes that share
 * one listening port through node:cluster (the primary accepts and hands connections round-robin), so
 * one machine's cores all serve webhooks. The primary serves nothing: it restarts an API process that
 * dies, fails the whole start if one dies before all have first listened (a boot error repeats), and passes
 * SIGTERM/SIGINT on, exiting when every API process has stopped.
 */
export function superviseApiProcesses(count: number, logger: Logger, shutdownTimeoutMs: number): void {
  let stopping = false;
  let ready = 0;
  // Once every API process has listened, the settings and dependencies are known good: a later one that
  // dies before it listens (killed while booting) is replaced, not taken for a boot error that stops all.
  let started = false;
  const listened = new WeakSet<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', (address) => {
      listened.add(worker);
      ready += 1;
      if (ready === count) {
        started = true;
        logger.info({ processes: count, port: address.port }, `all ${count} API processes listening on port ${address.port}`);
        logger.flush();
      }
    });
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      }
      return;
    }
    if (!listened.has(worker) && !started) {
      // Its own error line (a dependency missing, a bad setting) is already printed.
      logger.error({ pid: worker.process.pid, code, signal }, 'an API process failed to start; stopping');
      logger.flush();
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exitCode = code || 1;
      setTimeout(() => process.exit(code || 1), 1_000).unref();
      return;
    }
    if (listened.has(worker)) ready -= 1;
    logger.error({ pid: worker.process.pid, code, signal }, 'an API process exited; starting another');
    // One that never listened waits a second: a boot error that now repeats does not fork in a tight loop.
    if (listened.has(worker)) fork();
    else setTimeout(() => !stopping && fork(), 1_000).unref();
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down API processes');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    setTimeout(() => {
      logger.error('API processes took too long to stop; exiting');
      logger.flush();
      process.exit(1);
    }, shutdownTimeoutMs + 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  for (let i = 0; i < count; i += 1) fork();
}
