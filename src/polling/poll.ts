import { z } from 'zod';
import type { AppContext } from '../context.js';
import { withTransaction } from '../db/pool.js';
import { insertSaleEvent, insertSaleEvents, insertUnstorableSaleEvent } from '../inbox/repo.js';
import type { LightspeedClient } from '../lightspeed/client.js';
import { R_SALE_RELATIONS, rSaleListSchema, rSaleSchema } from '../lightspeed/r/schemas.js';
import { xListSchema } from '../lightspeed/x/schemas.js';
import { xDate } from '../lightspeed/x/normalize.js';
import { xSale20Schema } from '../lightspeed/x/sale20.js';
import type { Merchant } from '../merchants/schema.js';
import { enqueueSaleEvents, type SaleJobRef } from '../queue/enqueue.js';
import { advanceCursor, getPollState } from './state.js';

/** R-Series: re-read this much before the cursor, for sales updated in the same second as the last page. */
export const R_OVERLAP_MS = 60_000;

export interface PollDeps {
  ctx: Pick<AppContext, 'pool' | 'queues'>;
  client: LightspeedClient;
  /** Test hook: runs after a page is stored in the inbox, before the cursor moves (in the same transaction). */
  afterPageStored?: () => Promise<void>;
}

export interface PollResult {
  pages: number;
  seen: number;
  inserted: number;
}

type Source = 'poll' | 'backfill';

/**
 * The sales of a page, each parsed alone. One that does not parse but names its sale and version is kept
 * as read: the worker refuses it permanently and records why on that sale, where support looks. One
 * that does not even say which sale it is cannot be recorded and is left out. Either way the rest of
 * the page, and the cursor, go on.
 */
function parseEach<T extends z.ZodType, I extends z.ZodType>(items: unknown[], schema: T, identity: I): Array<z.infer<T> | z.infer<I>> {
  return items.flatMap((item): Array<z.infer<T> | z.infer<I>> => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return [parsed.data];
    const named = identity.safeParse(item);
    return named.success ? [named.data] : [];
  });
}

/** The receipt number the store printed: R-Series `ticketNumber`, X-Series `invoice_number`. */
const receiptField = (sale: Record<string, unknown>, field: string) => {
  const value = sale[field];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
};
const rReceipt = (sale: Record<string, unknown>) => receiptField(sale, 'ticketNumber');
const xReceipt = (sale: Record<string, unknown>) => receiptField(sale, 'invoice_number');

const rIdentity = z.looseObject({ saleID: z.string().min(1), updatetime: z.string().nullish() });
const xIdentity = z.looseObject({ id: z.string().min(1), version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), sale_date: z.string().nullish(), updated_at: z.string().nullish() });

/** SQLSTATE classes 22 (data exception) and 54 (program limit): PostgreSQL refuses this value, not the page. */
const isDataError = (error: unknown) => /^(22|54)/.test(String((error as { code?: unknown }).code ?? ''));

/**
 * Stores a page of sales in the inbox and moves the cursor in one transaction; queues what was new after
 * commit. Each sale is stored alone (a savepoint each): one that PostgreSQL refuses is recorded as that
 * sale's failure and the page, and the cursor, go on, so one bad sale never stops a merchant's polling.
 */
async function storePage(deps: PollDeps, merchantId: string, source: Source, sales: Array<{ saleId: string; version: number; payload: unknown; receipt?: string | null }>, cursor: string | null): Promise<number> {
  const newIds = await withTransaction(deps.ctx.pool, async (db) => {
    const events = sales.map((s) => ({ merchantId, saleId: s.saleId, version: s.version, source, payload: s.payload, receipt: s.receipt ?? null }));
    const ids: SaleJobRef[] = [];
    const refOf = (event: { id: number }, i: number) => ({ eventId: event.id, merchantId, saleId: sales[i]!.saleId, receipt: sales[i]!.receipt ?? null });
    // The whole page in one statement; only when PostgreSQL refuses a value, sale by sale to find it.
    await db.query('SAVEPOINT page');
    try {
      (await insertSaleEvents(db, events)).forEach((event, i) => {
        if (!event.duplicate) ids.push(refOf(event, i));
      });
    } catch (error) {
      if (!isDataError(error)) throw error;
      await db.query('ROLLBACK TO SAVEPOINT page');
      for (const [i, e] of events.entries()) {
        await db.query('SAVEPOINT sale');
        try {
          const event = await insertSaleEvent(db, e);
          await db.query('RELEASE SAVEPOINT sale');
          if (!event.duplicate) ids.push(refOf(event, i));
        } catch (saleError) {
          if (!isDataError(saleError)) throw saleError;
          await db.query('ROLLBACK TO SAVEPOINT sale');
          // Its failure is recorded where support looks; a key PostgreSQL refuses too (a version out of
          // range) cannot be, and the sale is skipped rather than stopping the page.
          await insertUnstorableSaleEvent(db, e, `the sale could not be stored as read (PostgreSQL ${String((saleError as { code?: unknown }).code)})`).then(
            () => db.query('RELEASE SAVEPOINT sale'),
            () => db.query('ROLLBACK TO SAVEPOINT sale'),
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
 * R-Series has no sale webhooks: `Sale.json` by `updatetime` after the stored cursor (minus an overlap),
 * sorted, 100 at a time with relations loaded, following `@attributes.next` verbatim. The same inbox key
 * (merchant, sale, updatetime) makes the overlap and any re-read harmless.
 */
export async function pollRSeries(deps: PollDeps, merchant: Merchant, window?: { from: Date; to: Date }): Promise<PollResult> {
  const state = await getPollState(deps.ctx.pool, merchant.id);
  const since = window?.from ?? new Date((state.cursor ? Date.parse(state.cursor) : merchant.createdAt.getTime()) - R_OVERLAP_MS);
  const updatetime = window ? `><,${since.toISOString()},${window.to.toISOString()}` : `>,${since.toISOString()}`;
  let next: string | null = 'Sale.json';
  let params: Record<string, string | number> | undefined = { updatetime, sort: 'updatetime', limit: 100, load_relations: R_SALE_RELATIONS };
  const result: PollResult = { pages: 0, seen: 0, inserted: 0 };
  let cursor = state.cursor;
  while (next) {
    const page: z.infer<typeof rSaleListSchema> = await deps.client.get(next, rSaleListSchema, params);
    const sales = parseEach(page.Sale, rSaleSchema, rIdentity).map((sale) => ({ saleId: sale.saleID, version: Date.parse(sale.updatetime ?? ''), payload: { Sale: sale }, receipt: rReceipt(sale) })).filter((s) => Number.isFinite(s.version));
    for (const s of sales) if (!cursor || s.version > Date.parse(cursor)) cursor = new Date(s.version).toISOString();
    // A backfill re-reads history; it never moves the live cursor.
    result.inserted += await storePage(deps, merchant.id, window ? 'backfill' : 'poll', sales, window ? null : cursor);
    result.pages += 1;
    result.seen += sales.length;
    next = page['@attributes']?.next || null;
    params = undefined;
  }
  return result;
}

/**
 * X-Series reconciliation: `GET /api/2.0/sales?after=<version.max>` until an empty page. Versions the
 * webhooks already delivered are skipped by the inbox key.
 */
export async function pollXSeries(deps: PollDeps, merchant: Merchant, window?: { from: Date; to: Date }): Promise<PollResult> {
  const state = await getPollState(deps.ctx.pool, merchant.id);
  // A backfill pages from the start and keeps the sales dated inside its window; it never moves the cursor.
  let after = window ? 0 : state.cursor ? Number(state.cursor) : 0;
  const inWindow = (sale: { sale_date?: string | null; updated_at?: string | null }) => {
    if (!window) return true;
    const at = Date.parse(xDate(sale.sale_date) ?? xDate(sale.updated_at) ?? '');
    return at >= window.from.getTime() && at <= window.to.getTime();
  };
  const result: PollResult = { pages: 0, seen: 0, inserted: 0 };
  for (;;) {
    const page = await deps.client.get('/api/2.0/sales', xListSchema(z.unknown()), { after, page_size: 200 });
    if (!page.data.length) return result;
    const data = parseEach(page.data, xSale20Schema, xIdentity);
    const max = page.version?.max ?? Math.max(after, ...data.map((s) => s.version));
    const sales = data.filter(inWindow).map((sale) => ({ saleId: sale.id, version: sale.version, payload: sale, receipt: xReceipt(sale) }));
    result.inserted += await storePage(deps, merchant.id, window ? 'backfill' : 'poll', sales, window ? null : String(max));
    result.pages += 1;
    result.seen += sales.length;
    if (max <= after) return result;
    after = max;
  }
}
