import type { z } from 'zod';
import type { LightspeedClient } from './client.js';
import type { Merchant } from '../merchants/store/schema.js';
import { rSalePages } from './r/salePages.js';
import { xSalePages } from './x/salePages.js';

/** A sale as a poll page lists it, in the service's terms: what the inbox stores. */
export interface ListedSale {
  saleId: string;
  version: number;
  payload: unknown;
  /** The receipt number the store printed, for support's search. */
  receipt: string | null;
}

/** One page of a merchant's sales, and the poll cursor once it is stored (null: do not move it). */
export interface SalePage {
  sales: ListedSale[];
  cursor: string | null;
  /** In a backfill: where it starts again if interrupted after this page (null outside a window). */
  resume: string | null;
}

/** A backfill's time range: it re-reads history and never moves the live cursor. */
export interface SaleWindow {
  from: Date;
  to: Date;
  /**
   * The `resume` of the last page an interrupted run of this backfill stored. A backfill handed back for
   * a rate limit starts there, not at the window's start: re-reading from the start after every wait
   * spends the refilled bucket on pages already stored and never reaches the end.
   */
  resume?: string;
}

/** A merchant's sales after the poll cursor (or inside a backfill window), page by page, in its series' paging scheme. */
export function salePages(
  client: LightspeedClient,
  merchant: Pick<Merchant, 'series' | 'createdAt'>,
  from: { cursor: string | null; window?: SaleWindow },
): AsyncGenerator<SalePage> {
  return merchant.series === 'r' ? rSalePages(client, { ...from, createdAt: merchant.createdAt }) : xSalePages(client, from);
}

/**
 * The sales of a page, each parsed alone. One that does not parse but names its sale and version is kept
 * as read: the worker refuses it permanently and records why on that sale, where support looks. One
 * that does not even say which sale it is cannot be recorded and is left out. Either way the rest of
 * the page, and the cursor, go on.
 */
export function parseEach<T extends z.ZodType, I extends z.ZodType>(items: unknown[], schema: T, identity: I): Array<z.infer<T> | z.infer<I>> {
  return items.flatMap((item): Array<z.infer<T> | z.infer<I>> => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return [parsed.data];
    const named = identity.safeParse(item);
    return named.success ? [named.data] : [];
  });
}

/** A receipt number field, whichever JSON type it came as. */
export const receiptField = (sale: Record<string, unknown>, field: string): string | null => {
  const value = sale[field];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
};
