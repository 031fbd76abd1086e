import type { z } from 'zod';
import type { AppContext } from '../context.js';
import { withTransaction } from '../db/pool.js';
import { insertSaleEvent } from '../inbox/repo.js';
import type { LightspeedClient } from '../lightspeed/client.js';
import { R_SALE_RELATIONS, rSaleListSchema } from '../lightspeed/r/schemas.js';
import { xListSchema } from '../lightspeed/x/schemas.js';
import { xDate } from '../lightspeed/x/normalize.js';
import { xSale20Schema } from '../lightspeed/x/sale20.js';
import type { Merchant } from '../merchants/schema.js';
import { enqueueSaleEvent } from '../queue/enqueue.js';
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

/** Stores a page of sales in the inbox and moves the cursor in one transaction; queues what was new after commit. */
async function storePage(deps: PollDeps, merchantId: string, source: Source, sales: Array<{ saleId: string; version: number; payload: unknown }>, cursor: string | null): Promise<number> {
  const newIds = await withTransaction(deps.ctx.pool, async (db) => {
    const ids: number[] = [];
    for (const s of sales) {
      const event = await insertSaleEvent(db, { merchantId, saleId: s.saleId, version: s.version, source, payload: s.payload });
      if (!event.duplicate) ids.push(event.id);
    }
    await deps.afterPageStored?.();
    if (cursor !== null) await advanceCursor(db, merchantId, cursor, ids.length);
    return ids;
  });
  for (const id of newIds) await enqueueSaleEvent(deps.ctx.queues, id);
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
    const sales = page.Sale.map((sale) => ({ saleId: sale.saleID, version: Date.parse(sale.updatetime ?? ''), payload: { Sale: sale } })).filter((s) => Number.isFinite(s.version));
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
    const page = await deps.client.get('/api/2.0/sales', xListSchema(xSale20Schema), { after, page_size: 200 });
    if (!page.data.length) return result;
    const max = page.version?.max ?? Math.max(...page.data.map((s) => s.version));
    const sales = page.data.filter(inWindow).map((sale) => ({ saleId: sale.id, version: sale.version, payload: sale }));
    result.inserted += await storePage(deps, merchant.id, window ? 'backfill' : 'poll', sales, window ? null : String(max));
    result.pages += 1;
    result.seen += sales.length;
    if (max <= after) return result;
    after = max;
  }
}
