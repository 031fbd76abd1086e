import { z } from 'zod';
import type { LightspeedClient } from '../client.js';
import { parseEach, receiptField, type SalePage, type SaleWindow } from '../salePages.js';
import { xPages } from './pager.js';
import { xSale20Schema } from './sale20.js';
import { xDate } from './saleParts.js';

const xIdentity = z.looseObject({
  id: z.string().min(1),
  version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sale_date: z.string().nullish(),
  updated_at: z.string().nullish(),
});

/**
 * X-Series reconciliation: `GET /api/2.0/sales?after=<version.max>` until an empty page; the cursor is
 * `version.max`. Versions the webhooks already delivered are skipped by the inbox key. A backfill pages
 * from the start and keeps the sales dated inside its window; it never moves the cursor.
 */
export async function* xSalePages(client: LightspeedClient, from: { cursor: string | null; window?: SaleWindow }): AsyncGenerator<SalePage> {
  const { window } = from;
  const inWindow = (sale: { sale_date?: string | null; updated_at?: string | null }) => {
    if (!window) return true;
    const at = Date.parse(xDate(sale.sale_date) ?? xDate(sale.updated_at) ?? '');
    return at >= window.from.getTime() && at <= window.to.getTime();
  };
  const after = window ? Number(window.resume ?? 0) : from.cursor ? Number(from.cursor) : 0;
  const versionOf = (items: unknown[]) => Math.max(...parseEach(items, xIdentity, xIdentity).map((s) => s.version));
  for await (const page of xPages(client, '/api/2.0/sales', z.unknown(), { after, params: { page_size: 200 }, versionOf })) {
    const data = parseEach(page.data, xSale20Schema, xIdentity);
    const sales = data
      .filter(inWindow)
      .map((sale) => ({ saleId: sale.id, version: sale.version, payload: sale, receipt: receiptField(sale, 'invoice_number') }));
    yield { sales, cursor: window ? null : String(page.max), resume: window ? String(page.max) : null };
  }
}
