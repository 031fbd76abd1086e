import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/pool.js';
import type { LightspeedClient } from '../../../src/lightspeed/client.js';
import { MerchantOutlets } from '../../../src/lightspeed/x/merchantOutlets.js';
import type { Merchant } from '../../../src/merchants/store/schema.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

/** A database that stores nothing and answers slowly, so concurrent deliveries interleave at every await. */
const slowDb = { query: async () => (await tick(), { rows: [] }) } as unknown as Db;

/** Lightspeed listing one outlet and one register, one page each. */
function lightspeed(): LightspeedClient {
  const pages: Record<string, Array<Record<string, string>>> = {
    '/api/2.0/outlets': [{ id: 'outlet-1' }],
    '/api/2.0/registers': [{ id: 'reg-1', outlet_id: 'outlet-1' }],
  };
  return {
    get: async (path: string, _schema: unknown, params: { after: number }) => (
      await tick(),
      params.after === 0 ? { data: pages[path], version: { max: 1 } } : { data: [] }
    ),
  } as unknown as LightspeedClient;
}

describe("a delivery's outlet against the merchant's outlets", () => {
  // Twenty deliveries of a merchant never read, at once (as the cluster test sends them): the first one
  // reads Lightspeed; none may be refused while that read is stored (a 403 seen in the full suite).
  it('accepts every concurrent delivery of the same outlet while the first read of the outlets completes', async () => {
    const outlets = new MerchantOutlets(slowDb, 60_000);
    const merchant = { id: 'm' } as Merchant;
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 2));
        return outlets.belongs(merchant, lightspeed, { outletId: 'outlet-1', registerId: 'reg-1' });
      }),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, () => true));
    expect(await outlets.belongs(merchant, lightspeed, { outletId: 'outlet-9', registerId: null })).toBe(false);
  });
});
