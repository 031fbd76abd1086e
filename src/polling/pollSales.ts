import type { AppContext } from '../context.js';
import { releaseSavepoint, rollbackToSavepoint, savepoint, withTransaction } from '../db/pool.js';
import { insertSaleEvent, insertSaleEvents, insertUnstorableSaleEvent, textForPostgres } from '../inbox/repo.js';
import type { LightspeedClient } from '../lightspeed/client.js';
import { salePages, type ListedSale, type SaleWindow } from '../lightspeed/salePages.js';
import type { Merchant } from '../merchants/store/schema.js';
import { enqueueSaleEvents, type SaleJobRef } from '../queue/enqueue.js';
import { advanceCursor, getPollState } from './store/pollState.js';

export interface PollDeps {
  ctx: Pick<AppContext, 'pool' | 'queues'>;
  client: LightspeedClient;
  /** Test hook: runs after a page is stored in the inbox, before the cursor moves (in the same transaction). */
  afterPageStored?: () => Promise<void>;
  /** A backfill's page is stored: `resume` is where the backfill starts again if it is interrupted now. */
  backfillPageStored?: (resume: string) => Promise<void>;
}

export interface PollResult {
  pages: number;
  seen: number;
  inserted: number;
}

type Source = 'poll' | 'backfill';

/** SQLSTATE classes 22 (data exception) and 54 (program limit): PostgreSQL refuses this value, not the page. */
const isDataError = (error: unknown) => /^(22|54)/.test(String((error as { code?: unknown }).code ?? ''));

/**
 * Stores a page of sales in the inbox and moves the cursor in one transaction; queues what was new after
 * commit. Each sale is stored alone (a savepoint each): one that PostgreSQL refuses is recorded as that
 * sale's failure and the page, and the cursor, go on, so one bad sale never stops a merchant's polling.
 */
async function storePage(deps: PollDeps, merchantId: string, source: Source, sales: ListedSale[], cursor: string | null): Promise<number> {
  const newIds = await withTransaction(deps.ctx.pool, async (db) => {
    const events = sales.map((s) => ({ merchantId, saleId: s.saleId, version: s.version, source, payload: s.payload, receipt: s.receipt ?? null }));
    const ids: SaleJobRef[] = [];
    const refOf = (event: { id: number }, i: number) => ({ eventId: event.id, merchantId, saleId: sales[i]!.saleId, receipt: sales[i]!.receipt ?? null });
    // The whole page in one statement; only when PostgreSQL refuses a value, sale by sale to find it.
    await savepoint(db, 'page');
    try {
      (await insertSaleEvents(db, events)).forEach((event, i) => {
        if (!event.duplicate) ids.push(refOf(event, i));
      });
    } catch (error) {
      if (!isDataError(error)) throw error;
      await rollbackToSavepoint(db, 'page');
      for (const [i, e] of events.entries()) {
        await savepoint(db, 'sale');
        try {
          const event = await insertSaleEvent(db, e);
          await releaseSavepoint(db, 'sale');
          if (!event.duplicate) ids.push(refOf(event, i));
        } catch (saleError) {
          if (!isDataError(saleError)) throw saleError;
          await rollbackToSavepoint(db, 'sale');
          // Its failure is recorded where support looks, under its id made storable (a NUL in it becomes
          // U+FFFD); a version out of range cannot be recorded, and the sale is skipped rather than
          // stopping the page.
          const reason = `the sale could not be stored as read (PostgreSQL ${String((saleError as { code?: unknown }).code)})`;
          await insertUnstorableSaleEvent(db, { ...e, saleId: textForPostgres(e.saleId) }, reason).then(
            () => releaseSavepoint(db, 'sale'),
            () => rollbackToSavepoint(db, 'sale'),
          );
        }
      }
    }
    await deps.afterPageStored?.();
    if (cursor !== null) await advanceCursor(db, merchantId, cursor, ids.length);
    return ids;
  });
  if (newIds.length) await enqueueSaleEvents(deps.ctx.queues, newIds, 5_000);
  return newIds.length;
}

/**
 * Polls a merchant's sales into the inbox, page by page, each page stored with the cursor it reaches in
 * one transaction (a backfill, with a window, moves no cursor). The paging scheme is the series'
 * (src/lightspeed/salePages.ts); here only what the service does with a page. R-Series has no sale
 * webhooks, so this poll is how its sales arrive; for X-Series it reconciles what the webhooks missed.
 */
export async function pollSales(deps: PollDeps, merchant: Merchant, window?: SaleWindow): Promise<PollResult> {
  const state = await getPollState(deps.ctx.pool, merchant.id);
  const result: PollResult = { pages: 0, seen: 0, inserted: 0 };
  for await (const page of salePages(deps.client, merchant, { cursor: state.cursor, window })) {
    result.inserted += await storePage(deps, merchant.id, window ? 'backfill' : 'poll', page.sales, page.cursor);
    if (page.resume !== null) await deps.backfillPageStored?.(page.resume);
    result.pages += 1;
    result.seen += page.sales.length;
  }
  return result;
}
