import { Router } from 'express';
import type { AppContext } from '../context.js';
import { pingRedis } from '../queue/connections.js';
import { HEARTBEAT_TTL_MS, lastHeartbeat } from '../queue/heartbeat.js';

export function healthRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    const check = async (name: string, probe: () => Promise<void>) => {
      try {
        await probe();
        checks[name] = { ok: true };
      } catch (error) {
        checks[name] = { ok: false, error: (error as Error).message };
      }
    };
    const redisUrl = new URL(ctx.config.REDIS_URL);
    const pgUrl = new URL(ctx.config.DATABASE_URL);
    await Promise.all([
      check('postgres', async () => {
        try {
          await ctx.pool.query('SELECT 1');
        } catch (error) {
          throw new Error(`PostgreSQL at ${pgUrl.host}: ${(error as Error).message}`);
        }
      }),
      check('redis', async () => {
        try {
          await pingRedis(ctx.redis);
        } catch (error) {
          throw new Error(`Redis at ${redisUrl.host}: ${(error as Error).message}`);
        }
      }),
    ]);
    if (checks.redis?.ok) {
      await check('worker', async () => {
        const at = await lastHeartbeat(ctx.redis, ctx.config.QUEUE_PREFIX);
        if (at === null) throw new Error(`no worker heartbeat in the last ${HEARTBEAT_TTL_MS / 1000} s`);
      });
    } else {
      checks.worker = { ok: false, error: 'unknown: Redis is not reachable' };
    }
    const failed = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
    res.status(failed.length ? 503 : 200).json({ status: failed.length ? 'unavailable' : 'ready', failed, checks });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  return router;
}
