import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ZodError } from 'zod';
import type { AppContext } from '../src/context.js';
import { getSaleEvent, recordEventFailure, type SaleEventRow } from '../src/inbox/repo.js';
import { applySale } from '../src/ledger/applySale.js';
import { readEventAndState, type SaleStateRead } from '../src/ledger/saleVersionSql.js';
import { LightspeedClient } from '../src/lightspeed/client.js';
import { LightspeedRequestError, RateLimitedError } from '../src/lightspeed/errors.js';
import type { ReferenceCache } from '../src/lightspeed/refs/cache.js';
import { applyFrequentBuyer } from '../src/frequentBuyer/applyFrequentBuyer.js';
import type { CatalogCache } from '../src/frequentBuyer/catalogCache.js';
import type { MerchantCache } from '../src/merchants/cache.js';
import type { Merchant } from '../src/merchants/schema.js';
import { currentRules } from '../src/merchants/rulesRepo.js';
import { reevaluateJobSchema, saleJobSchema } from '../src/queue/jobs.js';
import { scheduleRelease } from '../src/queue/release.js';
import { noteDecision } from '../src/rules/notes.js';
import { loadSale } from './loadSale.js';
import { recordSaleSnapshot } from '../src/console/snapshots.js';

export interface SalesDeps {
  ctx: AppContext;
  merchants: MerchantCache;
  refs: ReferenceCache;
  catalogs: CatalogCache;
  clientFor: (merchant: Merchant) => LightspeedClient;
  now?: () => Date;
}

/**
 * Errors that will not go away by retrying now: the job fails at once and the inbox row says why. A
 * Lightspeed 4xx may heal once someone fixes the data or the app's access, so that row is tried again
 * hours later (and at once when the merchant's credentials change); a malformed sale never heals.
 */
const failureKind = (error: unknown): 'transient' | 'permanent' | 'may-heal' =>
  error instanceof LightspeedRequestError ? 'may-heal' : error instanceof ZodError || error instanceof UnrecoverableError ? 'permanent' : 'transient';

export async function processSaleJob(deps: SalesDeps, job: Job, token?: string): Promise<unknown> {
  let event: SaleEventRow | null;
  let state: SaleStateRead | undefined;
  let reevaluate = false;
  if (job.name === 'reevaluate') {
    const { merchantId, saleId } = reevaluateJobSchema.parse(job.data);
    const { rows } = await deps.ctx.pool.query<{ id: number }>(`SELECT id FROM sale_events WHERE merchant_id = $1 AND sale_id = $2 ORDER BY version DESC LIMIT 1`, [merchantId, saleId]);
    // Not received yet: the request is recorded and applies when the sale arrives.
    if (!rows[0]) return { outcome: 'sale not received yet' };
    event = await getSaleEvent(deps.ctx.pool, rows[0].id);
    reevaluate = true;
  } else {
    const read = await readEventAndState(deps.ctx.pool, saleJobSchema.parse(job.data).eventId);
    event = read?.event ?? null;
    state = read?.state;
  }
  if (!event) return { outcome: 'event gone' };
  if (event.processed_at && !reevaluate) return { outcome: 'already processed' };
  const log = deps.ctx.logger.child({ merchantId: event.merchant_id, saleId: event.sale_id, eventId: event.id, jobId: job.id });

  try {
    return await handleEvent(deps, event, log, reevaluate, state);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      log.info({ waitMs: error.waitMs }, 'rate limited; job handed back delayed');
      await job.moveToDelayed(Date.now() + error.waitMs, token);
      throw new DelayedError();
    }
    const kind = failureKind(error);
    const permanent = kind !== 'transient';
    const message = error instanceof ZodError ? `malformed sale: ${error.issues[0]?.path.join('.')}: ${error.issues[0]?.message}` : (error as Error).message;
    await recordEventFailure(deps.ctx.pool, event.id, message, kind);
    log.warn({ err: error, permanent, kind }, 'sale job failed');
    throw permanent ? new UnrecoverableError(message) : error;
  }
}

async function handleEvent(deps: SalesDeps, event: SaleEventRow, log: AppContext['logger'], reevaluate: boolean, state?: SaleStateRead): Promise<unknown> {
  const { ctx } = deps;
  const merchant = await deps.merchants.get(event.merchant_id);
  if (!merchant) throw new UnrecoverableError(`merchant ${event.merchant_id} no longer exists`);
  if (merchant.paused) {
    if (event.status !== 'waiting') {
      const rules = await currentRules(ctx.pool, merchant.id);
      await ctx.pool.query(
        `WITH note AS (
           INSERT INTO decisions (merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, decision)
           VALUES ($1, $2, $3, $4, $5, 'none', 0, false, $6)
         ) UPDATE sale_events SET status = 'waiting' WHERE id = $4`,
        [merchant.id, event.sale_id, event.version, event.id, rules.version, JSON.stringify(noteDecision({ saleId: event.sale_id, version: event.version }, rules.version, 'MERCHANT_PAUSED', {}))],
      );
    }
    return { outcome: 'merchant paused' };
  }
  let client: LightspeedClient | undefined;
  const { sale, refs } = await loadSale(merchant, event, deps.refs, () => (client ??= deps.clientFor(merchant)));
  await recordSaleSnapshot(ctx.pool, sale);
  // Before the points: a crash between the two re-runs this job, and the frequent-buyer gate makes the
  // second pass a no-op, whereas after applySale the job would stop at "already processed".
  const frequentBuyer = await applyFrequentBuyer(ctx.pool, { merchantId: merchant.id, sale, catalog: await deps.catalogs.get(merchant) });
  if (frequentBuyer.outcome === 'applied') {
    log.info({ punches: frequentBuyer.punches?.length, redemptions: frequentBuyer.redemptions?.map((r) => r.status) }, 'frequent-buyer applied');
  }
  const result = await applySale(ctx.pool, { merchant, sale, eventId: event.id, refs, now: deps.now?.() ?? new Date(), reevaluate, state });
  if (result.pendingUntil) {
    await scheduleRelease(ctx.queues, merchant.id, result.pendingUntil, ctx.config.RELEASE_BUCKET_MS).catch((err: unknown) =>
      ctx.logger.warn({ err, merchantId: merchant.id }, 'could not schedule the release; the sweeper will release it'),
    );
  }
  return { outcome: result.outcome, status: result.decision?.status, points: result.decision?.points };
}
