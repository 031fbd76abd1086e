import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ZodError } from 'zod';
import type { AppContext } from '../src/context.js';
import { recordSaleSnapshots } from '../src/sales/store/snapshots.js';
import { Batcher } from '../src/batcher.js';
import { applyFrequentBuyers } from '../src/frequentBuyer/applyFrequentBuyer.js';
import type { CatalogCache } from '../src/frequentBuyer/catalogCache.js';
import { latestEventId, recordEventFailure, type SaleEventRow } from '../src/inbox/repo.js';
import { applySales, type ApplyInput } from '../src/ledger/applySale.js';
import type { ReopenedReturn } from '../src/ledger/store/saleVersionWrite.js';
import { readEventsAndStates, type SaleStateRead } from '../src/ledger/store/saleStateRead.js';
import { writeDecisionNotes, type DecisionNote } from '../src/ledger/store/saleVersionWrite.js';
import { LightspeedClient } from '../src/lightspeed/client.js';
import { LightspeedRequestError, RateLimitedError } from '../src/lightspeed/errors.js';
import { loadSale } from '../src/lightspeed/loadSale.js';
import type { ReferenceCache } from '../src/lightspeed/refs/cache.js';
import type { MerchantCache } from '../src/merchants/store/cache.js';
import { currentRulesOf } from '../src/ruleVersions/store/rulesRepo.js';
import type { Merchant } from '../src/merchants/store/schema.js';
import { isReevaluateJob, reevaluateJobSchema, saleJobSchema } from '../src/queue/jobs.js';
import { requeueSaleEvents } from '../src/queue/enqueue.js';
import { scheduleRelease } from '../src/queue/release.js';
import { noteDecision } from '../src/rules/notes.js';

export interface SalesDeps {
  ctx: AppContext;
  merchants: MerchantCache;
  refs: ReferenceCache;
  catalogs: CatalogCache;
  clientFor: (merchant: Merchant) => LightspeedClient;
  now?: () => Date;
  /** Sales whose jobs run at the same time are applied together (see salesBatch). */
  batch?: Batcher<SaleWork, SaleDone>;
}

/** One job's sale: an inbox event, applied again for a re-evaluation. */
export interface SaleWork {
  eventId: number;
  reevaluate: boolean;
  jobId: string | undefined;
}

/** What became of it: the job's result, or the error its job fails with (and the event, for the failure record). */
export interface SaleDone {
  event: SaleEventRow | null;
  result?: unknown;
  error?: unknown;
}

/**
 * Errors that will not go away by retrying now: the job fails at once and the inbox row says why. A
 * Lightspeed 4xx may heal once someone fixes the data or the app's access, so that row is tried again
 * hours later (and at once when the merchant's credentials change); a malformed sale never heals.
 */
const failureKind = (error: unknown): 'transient' | 'permanent' | 'may-heal' =>
  error instanceof LightspeedRequestError ? 'may-heal' : error instanceof ZodError || error instanceof UnrecoverableError ? 'permanent' : 'transient';

/**
 * Group commit for the sales worker: BullMQ runs up to WORKER_CONCURRENCY sale jobs at once (its
 * documented concurrency), each job hands its event here, and the events that arrive while a batch is
 * being applied are applied together in the next one (up to `max`): one read, one write, one commit
 * for all of them instead of per sale. Each job still gets its own result or error, so BullMQ's locks,
 * retries and backoff stay per job. An event alone is applied at once (no timer, no wait when idle).
 */
export function salesBatch(deps: Omit<SalesDeps, 'batch'>, max: number): Batcher<SaleWork, SaleDone> {
  return new Batcher((items) => applySaleBatch(deps, items), max);
}

export async function processSaleJob(deps: SalesDeps, job: Job, token?: string): Promise<unknown> {
  let work: SaleWork;
  if (isReevaluateJob(job.name)) {
    const { merchantId, saleId } = reevaluateJobSchema.parse(job.data);
    const eventId = await latestEventId(deps.ctx.pool, merchantId, saleId);
    // Not received yet: the request is recorded and applies when the sale arrives.
    if (eventId === null) return { outcome: 'sale not received yet' };
    work = { eventId, reevaluate: true, jobId: job.id };
  } else {
    work = { eventId: saleJobSchema.parse(job.data).eventId, reevaluate: false, jobId: job.id };
  }
  const done = deps.batch ? await deps.batch.add(work) : (await applySaleBatch(deps, [work]))[0]!;
  if (done.error === undefined) return done.result;
  const { error, event } = done;
  if (!event) throw error;
  const log = deps.ctx.logger.child({ merchantId: event.merchant_id, saleId: event.sale_id, eventId: event.id, jobId: job.id });
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

/**
 * Applies the sales of several jobs together: their events and states in one read, each sale loaded
 * (Lightspeed only for what the event lacks), then their snapshots, their frequent-buyer punches and
 * their points each in one statement for all. Frequent-buyer before points: a crash between the two
 * re-runs the job, and the frequent-buyer gate makes its second pass a no-op, whereas after the points
 * the job would stop at "already processed". Should the batch fail as a whole, its sales are applied
 * one by one, so that only the sale at fault fails.
 */
export async function applySaleBatch(deps: Omit<SalesDeps, 'batch'>, items: SaleWork[]): Promise<SaleDone[]> {
  try {
    return await applyTogether(deps, items);
  } catch (error) {
    if (items.length === 1) return [{ event: null, error }];
    const out: SaleDone[] = [];
    for (const item of items) out.push((await applySaleBatch(deps, [item]))[0]!);
    return out;
  }
}

interface Loaded {
  k: number;
  event: SaleEventRow;
  input: ApplyInput;
}

type Deps = Omit<SalesDeps, 'batch'>;
type Read = Awaited<ReturnType<typeof readEventsAndStates>>;

/**
 * The pipeline, one named step after another; each step takes what the previous one kept, records a
 * failure or an outcome on that job's `out` entry, and hands on the sales that go on.
 */
async function applyTogether(deps: Deps, items: SaleWork[]): Promise<SaleDone[]> {
  const out: SaleDone[] = items.map(() => ({ event: null, result: { outcome: 'event gone' } }));
  const read = await readEvents(deps, items);
  const { loaded, paused } = await loadSales(deps, items, read, out);
  await notePaused(deps, paused);
  if (!loaded.length) return out;
  await writeSnapshots(deps, loaded);
  const punched = await frequentBuyer(deps, items, loaded, out);
  const pending = await writeLedger(deps, punched, out);
  await scheduleReleases(deps, pending);
  return out;
}

/** Load (1/2): the events and the sales' states, in one read for the batch. */
async function readEvents(deps: Deps, items: SaleWork[]): Promise<Read> {
  return readEventsAndStates(deps.ctx.pool, [...new Set(items.map((w) => w.eventId))]);
}

/**
 * Load (2/2) and normalize: each event's sale, from its payload or Lightspeed (rate-limited, reference data
 * cached), as the canonical Sale. Done versions, dropped payloads and paused merchants stop here.
 */
async function loadSales(
  deps: Deps,
  items: SaleWork[],
  read: Read,
  out: SaleDone[],
): Promise<{ loaded: Loaded[]; paused: Array<{ merchant: Merchant; event: SaleEventRow }> }> {
  const paused: Array<{ merchant: Merchant; event: SaleEventRow }> = [];
  const now = deps.now?.() ?? new Date();
  const loaded = await Promise.all(
    items.map(async (work, k): Promise<Loaded | null> => {
      const found = read.get(work.eventId);
      if (!found) return null;
      const { event } = found;
      out[k] = { event };
      if (event.processed_at && !work.reevaluate) {
        out[k]!.result = { outcome: 'already processed' };
        return null;
      }
      // Only a re-evaluation (the rewards button) reaches a done version, whose raw payload retention may
      // have dropped: there is nothing to evaluate again. The request stays recorded and applies should
      // Lightspeed send a new version of the sale.
      if (event.payload === null) {
        out[k]!.result = { outcome: 'payload dropped by retention' };
        deps.ctx.logger.warn(
          { merchantId: event.merchant_id, saleId: event.sale_id, eventId: event.id },
          'rewards request on a sale whose payload retention dropped',
        );
        return null;
      }
      try {
        const merchant = await deps.merchants.get(event.merchant_id);
        if (!merchant) throw new UnrecoverableError(`merchant ${event.merchant_id} no longer exists`);
        if (merchant.paused) {
          out[k]!.result = { outcome: 'merchant paused' };
          if (event.status !== 'waiting') paused.push({ merchant, event });
          return null;
        }
        let client: LightspeedClient | undefined;
        const { sale, names } = await loadSale(merchant, event.payload, deps.refs, () => (client ??= deps.clientFor(merchant)));
        // The state read with the event is good for its first attempt; a re-evaluation reads it again.
        const state: SaleStateRead | undefined = work.reevaluate ? undefined : found.state;
        return { k, event, input: { merchant, sale, names, eventId: event.id, now, reevaluate: work.reevaluate, state } };
      } catch (error) {
        out[k]!.error = error;
        return null;
      }
    }),
  );
  return { loaded: loaded.filter((l): l is Loaded => l !== null), paused };
}

/** Paused merchants' events wait, with a decision note saying why (once: a waiting event is not noted again). */
async function notePaused(deps: Deps, paused: Array<{ merchant: Merchant; event: SaleEventRow }>): Promise<void> {
  if (!paused.length) return;
  const rules = await currentRulesOf(
    deps.ctx.pool,
    paused.map((p) => p.merchant.id),
  );
  const notes: DecisionNote[] = paused.map(({ merchant, event }) => ({
    merchantId: merchant.id,
    eventId: event.id,
    decision: noteDecision({ saleId: event.sale_id, version: event.version }, rules.get(merchant.id)!.version, 'MERCHANT_PAUSED', {}),
    eventStatus: 'waiting',
  }));
  await writeDecisionNotes(deps.ctx.pool, notes);
}

/** Write snapshot: the canonical sales kept for search and the rules preview, in one statement. */
async function writeSnapshots(deps: Deps, loaded: Loaded[]): Promise<void> {
  await recordSaleSnapshots(
    deps.ctx.pool,
    loaded.map((l) => l.input.sale),
  );
}

/**
 * Frequent buyer: punches, redemptions and claims of the sales, before the points: a crash between the two
 * re-runs the job, and the frequent-buyer gate makes its second pass a no-op, whereas after the points
 * the job would stop at "already processed". A sale whose frequent-buyer write failed goes no further.
 */
async function frequentBuyer(deps: Deps, items: SaleWork[], loaded: Loaded[], out: SaleDone[]): Promise<Loaded[]> {
  const { ctx } = deps;
  const catalogs = await Promise.all(loaded.map((l) => deps.catalogs.get(l.input.merchant)));
  const punched = await applyFrequentBuyers(
    ctx.pool,
    loaded.map((l, n) => ({ merchantId: l.input.merchant.id, sale: l.input.sale, catalog: catalogs[n]! })),
  );
  return loaded.filter((l, n) => {
    const fb = punched[n]!;
    if (fb instanceof Error) {
      out[l.k]!.error = fb;
      return false;
    }
    if (fb.outcome === 'applied') {
      ctx.logger.info(
        {
          merchantId: l.input.merchant.id,
          saleId: l.input.sale.saleId,
          eventId: l.event.id,
          jobId: items[l.k]!.jobId,
          punches: fb.punches?.length,
          redemptions: fb.redemptions?.map((r) => r.status),
        },
        'frequent-buyer applied',
      );
    }
    return true;
  });
}

/**
 * Evaluate and write the ledger: the rules engine's decision for each sale against the state it was read
 * with, and one write per sale version (decision, entries, balances, inbox row done), all in
 * src/ledger/applySale.ts. Returns when each sale's pending points become available.
 */
async function writeLedger(deps: Deps, loaded: Loaded[], out: SaleDone[]): Promise<Array<{ merchantId: string; at: Date }>> {
  const applied = await applySales(
    deps.ctx.pool,
    loaded.map((l) => l.input),
  );
  await reapplyReturns(
    deps,
    applied.flatMap((r) => (r instanceof Error ? [] : (r.reopened ?? []))),
  );
  const pending: Array<{ merchantId: string; at: Date }> = [];
  loaded.forEach((l, n) => {
    const result = applied[n]!;
    if (result instanceof Error) {
      out[l.k]!.error = result;
      return;
    }
    out[l.k]!.result = { outcome: result.outcome, status: result.decision?.status, points: result.decision?.points };
    if (result.pendingUntil) pending.push({ merchantId: l.input.merchant.id, at: result.pendingUntil });
  });
  return pending;
}

/** One release wake-up per merchant and release bucket, however many sales of the batch are pending in it. */
async function scheduleReleases(deps: Deps, pending: Array<{ merchantId: string; at: Date }>): Promise<void> {
  const { ctx } = deps;
  const releases = new Map<string, { merchantId: string; at: Date }>();
  for (const p of pending) {
    const bucket = Math.ceil(p.at.getTime() / ctx.config.RELEASE_BUCKET_MS);
    releases.set(`${p.merchantId}\u0000${bucket}`, p);
  }
  await Promise.all(
    [...releases.values()].map(({ merchantId, at }) =>
      scheduleRelease(ctx.queues, merchantId, at, ctx.config.RELEASE_BUCKET_MS).catch((err: unknown) =>
        ctx.logger.warn({ err, merchantId }, 'could not schedule the release; the sweeper will release it'),
      ),
    ),
  );
}

/**
 * Returns that waited for a sale this batch applied (they came first) are applied again at once; one
 * that fails goes back on the queue, where its job retries as any sale's does (and the sweep finds its
 * reopened inbox row should Redis lose it).
 */
async function reapplyReturns(deps: Deps, reopened: ReopenedReturn[]): Promise<void> {
  if (!reopened.length) return;
  const done = await applySaleBatch(
    deps,
    reopened.map((r) => ({ eventId: r.eventId, reevaluate: false, jobId: undefined })),
  );
  const failed = reopened.filter((_, k) => done[k]!.error !== undefined);
  if (!failed.length) return;
  deps.ctx.logger.warn({ eventIds: failed.map((r) => r.eventId) }, 'returns reopened by their original failed to apply; queued again');
  await requeueSaleEvents(deps.ctx.queues, failed).catch((err: unknown) =>
    deps.ctx.logger.warn({ err }, 'could not queue the reopened returns; the sweep will'),
  );
}
