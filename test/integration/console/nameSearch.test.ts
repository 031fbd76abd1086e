import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchKey } from '../../../src/sales/searchKey.js';
import { recordSaleSnapshots } from '../../../src/sales/store/snapshots.js';
import { migrationsDir } from '../../../src/db/migrate.js';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import type { Sale } from '../../../src/rules/sale.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

// Support types names as they come, often without accents: the search must not care.
let ctx: TestContext;
let token: string;
let app: ReturnType<typeof createApp>;

const sale = (saleId: string, customerId: string, name: string, familyName: string): Sale => ({
  merchantId: 'acme',
  series: 'x',
  saleId,
  version: 1,
  state: 'completed',
  completedAt: '2026-11-20T17:03:07.000Z',
  shopId: null,
  customer: { id: customerId, segmentId: null, name, familyName, exempt: false },
  lines: [],
  payments: [],
});

const names = async (q: string) =>
  ((await request(app).get('/admin/api/search').query({ q }).set('Authorization', `Bearer ${token}`).expect(200)).body.customers as Array<{ name: string }>)
    .map((c) => c.name)
    .sort();

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  token = await ctx.token('support');
  await createXMerchant(ctx.pool, { id: 'acme' });
  await recordSaleSnapshots(ctx.pool, [
    sale('s1', 'c1', 'Hélène Côté', 'Côté'),
    sale('s2', 'c2', 'Helene Cote', 'Cote'),
    sale('s3', 'c3', 'Œdipe Bélanger-Lévesque', 'Bélanger-Lévesque'),
    sale('s4', 'c4', 'Marc Tremblay', 'Tremblay'),
  ]);
});

afterAll(async () => {
  await ctx?.cleanup();
});

describe('customer search by name, accents or not', () => {
  it('"Helene" finds "Hélène" (and the unaccented spelling), whatever the case', async () => {
    expect(await names('Helene')).toEqual(['Helene Cote', 'Hélène Côté']);
    expect(await names('HÉLÈ')).toEqual(['Helene Cote', 'Hélène Côté']);
  });

  it('the family name matches without its accents, and with them', async () => {
    expect(await names('cote')).toEqual(['Helene Cote', 'Hélène Côté']);
    expect(await names('Côt')).toEqual(['Helene Cote', 'Hélène Côté']);
    expect(await names('belanger-lev')).toEqual(['Œdipe Bélanger-Lévesque']);
  });

  it('ligatures are spelled out, and unrelated names are not found', async () => {
    expect(await names('oedipe')).toEqual(['Œdipe Bélanger-Lévesque']);
    expect(await names('hel%')).toEqual([]);
    expect(await names('trem')).toEqual(['Marc Tremblay']);
  });

  it("the migration's key for names stored before it is the service's key, and a later sale rewrites a stale key", async () => {
    const migration = readFileSync(path.join(migrationsDir, '1732300000300_customer_name_search_keys.sql'), 'utf8');
    const backfill = /UPDATE customer_names SET[\s\S]*?;\n/.exec(migration)![0];
    const french = [
      'Hélène Côté',
      'Œdipe Bélanger-Lévesque',
      'ÉMILIE  Gélinas',
      'François Thériault',
      'Noémie Dubé',
      'Anaïs Caron',
      'Jérôme Bérubé',
      'Zoé Ouellet',
    ];
    for (const [i, name] of french.entries()) {
      await ctx.pool.query(`INSERT INTO customer_names (merchant_id, customer_id, name, family_name, search_name) VALUES ('acme', $1, $2, $3, '')`, [
        `old-${i}`,
        name,
        name.split(/\s+/).at(-1),
      ]);
    }
    await ctx.pool.query(backfill);
    const { rows } = await ctx.pool.query<{ name: string; family_name: string; search_name: string; search_family: string }>(
      `SELECT name, family_name, search_name, search_family FROM customer_names`,
    );
    for (const r of rows) expect([r.search_name, r.search_family]).toEqual([searchKey(r.name), searchKey(r.family_name)]);

    await ctx.pool.query(`UPDATE customer_names SET search_name = 'stale' WHERE customer_id = 'c4'`);
    expect(await names('marc')).toEqual([]);
    await recordSaleSnapshots(ctx.pool, [sale('s4b', 'c4', 'Marc Tremblay', 'Tremblay')]);
    expect(await names('marc')).toEqual(['Marc Tremblay']);
  });
});
