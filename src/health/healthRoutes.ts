import { Router } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';
import { pingPostgres } from '../db/pool.js';
import { pingRedis, redisHosts } from '../queue/connections.js';
import { HEARTBEAT_TTL_MS, lastHeartbeat } from '../queue/heartbeat.js';

/** Constant-time comparison of two secrets of any length (their digests have one length). */
const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

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
    const pgUrl = new URL(ctx.config.DATABASE_URL);
    await Promise.all([
      check('postgres', async () => {
        try {
          await pingPostgres(ctx.pool);
        } catch (error) {
          throw new Error(`PostgreSQL at ${pgUrl.host}: ${(error as Error).message}`);
        }
      }),
      check('redis', async () => {
        try {
          await pingRedis(ctx.redis);
        } catch (error) {
          throw new Error(`Redis at ${redisHosts(ctx.config)}: ${(error as Error).message}`);
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
    const failed = Object.entries(checks)
      .filter(([, c]) => !c.ok)
      .map(([name]) => name);
    res.status(failed.length ? 503 : 200).json({ status: failed.length ? 'unavailable' : 'ready', failed, checks });
  });

  // Per-merchant series name every merchant: only the scraper holding METRICS_TOKEN reads them. Without
  // a token they are open on a developer machine and closed in production.
  router.get('/metrics', async (req, res) => {
    const expected = ctx.config.METRICS_TOKEN;
    if (expected === undefined && ctx.config.NODE_ENV === 'production') {
      res.status(403).json({ error: { code: 'METRICS_TOKEN_REQUIRED', message: 'set METRICS_TOKEN to read metrics in production' } });
      return;
    }
    if (expected !== undefined) {
      const given = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice('Bearer '.length).trim() : '';
      if (!sameSecret(given, expected)) {
        res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'metrics need the METRICS_TOKEN bearer token' } });
        return;
      }
    }
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  return router;
}
