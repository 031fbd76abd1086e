import { z } from 'zod';
import type { LightspeedClient } from '../client.js';
import { parseEach, receiptField, type SalePage, type SaleWindow } from '../salePages.js';
import { rChangeTime } from './changeTime.js';
import { rPages } from './pager.js';
import { R_SALE_RELATIONS, rSaleListSchema, rSaleSchema } from './schemas.js';

/** Re-read this much before the cursor, for sales updated in the same second as the last page. */
export const R_OVERLAP_MS = 60_000;

const rIdentity = z.looseObject({
  saleID: z.string().min(1),
  updatetime: z.string().nullish(),
  updateTime: z.string().nullish(),
  timeStamp: z.string().nullish(),
});

/**
 * R-Series has no sale webhooks: `Sale.json` by `updatetime` after the cursor (minus an overlap),
 * sorted, 100 at a time with relations loaded, following `@attributes.next` verbatim. A sale's version
 * is its `updatetime` in epoch ms, so the same inbox key makes the overlap and any re-read harmless.
 * The cursor is the newest `updatetime` seen (ISO); a backfill moves none.
 */
export async function* rSalePages(client: LightspeedClient, from: { cursor: string | null; createdAt: Date; window?: SaleWindow }): AsyncGenerator<SalePage> {
  const { window } = from;
  // A resumed backfill re-reads from the newest updatetime it stored (inclusive: re-reads are harmless).
  const since = window
    ? window.resume
      ? new Date(window.resume)
      : window.from
    : new Date((from.cursor ? Date.parse(from.cursor) : from.createdAt.getTime()) - R_OVERLAP_MS);
  const updatetime = window ? `><,${since.toISOString()},${window.to.toISOString()}` : `>,${since.toISOString()}`;
  let cursor = from.cursor;
  let newest = window?.resume ?? null;
  for await (const page of rPages(client, 'Sale.json', rSaleListSchema, { updatetime, sort: 'updatetime', limit: 100, load_relations: R_SALE_RELATIONS })) {
    // A sale whose change time cannot be read is stored as version 0, never dropped: the worker refuses it
    // by name (a malformed sale), so the failure shows on that sale and in Operations.
    const sales = parseEach(page.Sale, rSaleSchema, rIdentity).map((sale) => {
      const changed = rChangeTime(sale);
      return { saleId: sale.saleID, version: Number.isFinite(changed) ? changed : 0, payload: { Sale: sale }, receipt: receiptField(sale, 'ticketNumber') };
    });
    for (const s of sales) {
      if (s.version === 0) continue;
      if (!cursor || s.version > Date.parse(cursor)) cursor = new Date(s.version).toISOString();
      if (!newest || s.version > Date.parse(newest)) newest = new Date(s.version).toISOString();
    }
    yield { sales, cursor: window ? null : cursor, resume: window ? newest : null };
  }
}
