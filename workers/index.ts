import type { AppContext } from '../src/context.js';
import { createRedis } from '../src/queue/connections.js';
import { startHeartbeat } from '../src/queue/heartbeat.js';

export interface RunningWorkers {
  close(timeoutMs: number): Promise<void>;
}

/** Starts every job processor of the worker role on its own blocking connection. */
export async function startWorkers(ctx: AppContext): Promise<RunningWorkers> {
  const connection = createRedis(ctx.config.REDIS_URL, 'worker');
  const stopHeartbeat = startHeartbeat(connection, ctx.config.QUEUE_PREFIX);
  return {
    async close() {
      stopHeartbeat();
      connection.disconnect();
    },
  };
}
