import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSaleSnapshots } from '../../../src/sales/store/snapshots.js';
import { createApp } from '../../../src/http/app.js';
import type { Sale } from '../../../src/rules/sale.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

// The rules preview (POST .../rules/preview) re-evaluates stored canonical sales with a draft: a rules
// option must reach it (accepted by the route, applied by the engine).
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let admin: string;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

const sale = (saleId: string, overrides: Partial<Sale> = {}): Sale => ({
  merchantId: 'acme',
  series: 'x',
  saleId,
  version: 1,
  state: 'completed',
  completedAt: daysAgo(2),
  shopId: null,
  customer: { id: `c-${saleId}`, segmentId: null, exempt: false },
  lines: [{ lineId: `${saleId}-l1`, productId: 'p1', categoryPath: [], quantity: 1, net: 7500, isGiftCard: false }],
  payments: [{ kind: 'card', amount: 7500 }],
  ...overrides,
});

const preview = (rules: Record<string, unknown>) =>
  request(app)
    .post('/admin/api/merchants/acme/rules/preview')
    .set('Authorization', `Bearer ${admin}`)
    .send({ rules: { autoRewards: { enabled: true, startDate: '2020-01-01' }, ...rules } });

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
  await createXMerchant(ctx.pool);
  await recordSaleSnapshots(ctx.pool, [
    // Lightspeed X's own loyalty switch off (enable_loyalty false): earns unless the rules respect the switch.
    sale('switch-off', { customer: { id: 'c-off', segmentId: null, exempt: true } }),
    // 75.00 before tax, 86.25 paid: 43.12 by gift card, 43.13 by card.
    sale('split-tender', {
      payments: [
        { kind: 'gift_card', amount: 4312 },
        { kind: 'card', amount: 4313 },
      ],
    }),
  ]);
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('the rules preview and "respect Lightspeed\'s loyalty switch"', () => {
  it('off (the default), the customer whose Lightspeed switch is off earns; on, the preview shows the sale earning nothing and why', async () => {
    const off = await preview({}).expect(200);
    const offSale = off.body.changed.find((c: { saleId: string }) => c.saleId === 'switch-off');
    expect(offSale.after).toMatchObject({ status: 'credited', points: 75 });

    const on = await preview({ respectLightspeedLoyalty: true }).expect(200);
    expect(on.body.pointsAfter).toBe(off.body.pointsAfter - 75);
    expect(on.body.changed.find((c: { saleId: string }) => c.saleId === 'switch-off')).toBeUndefined();
  });
});

describe('the rules preview and tenders that do not earn', () => {
  it('75.00 before tax paid 43.12 by gift card and 43.13 by card: the preview shows 37 points and the 49.99 % share', async () => {
    const { body } = await preview({}).expect(200);
    const split = body.changed.find((c: { saleId: string }) => c.saleId === 'split-tender');
    expect(split.after).toMatchObject({ status: 'credited', points: 37 });
    expect(split.after.reasons[0]).toMatchObject({ code: 'TENDER_EXCLUDED', data: { shareBasisPoints: 4999, paid: 8625, reducedBy: 3750 } });
    const allowed = await preview({ tenders: { excluded: [] } }).expect(200);
    expect(allowed.body.changed.find((c: { saleId: string }) => c.saleId === 'split-tender').after.points).toBe(75);
  });
});
