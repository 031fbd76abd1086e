import { describe, expect, it } from 'vitest';
import { normalizeRSale } from '../../../src/lightspeed/r/normalize.js';
import { rCategoryListSchema, rSaleResponseSchema } from '../../../src/lightspeed/r/schemas.js';
import { emptyReferenceData, type ReferenceData } from '../../../src/lightspeed/refs/types.js';
import { normalizeXSale, xRegisterSaleSchema } from '../../../src/lightspeed/x/sale10.js';
import { saleSchema } from '../../../src/rules/sale.js';
import { fixture } from '../../helpers/context.js';

const rRefs = (): ReferenceData => {
  const refs = emptyReferenceData();
  for (const c of rCategoryListSchema.parse(fixture('lightspeed/r/categories.json')).Category)
    refs.categories.set(c.categoryID, { id: c.categoryID, name: c.name, parentId: c.parentID ?? null });
  return refs;
};
const r = (name: string, mutate: (sale: Record<string, unknown>) => void = () => undefined) => {
  const json = fixture<{ Sale: Record<string, unknown> }>(`lightspeed/r/${name}`);
  mutate(json.Sale);
  return saleSchema.parse(normalizeRSale('rpets', rSaleResponseSchema.parse(json).Sale, rRefs()));
};
const x = (name: string, mutate: (sale: Record<string, unknown>) => void = () => undefined, refs = emptyReferenceData()) => {
  const json = fixture<Record<string, unknown>>(`lightspeed/x/${name}`);
  mutate(json);
  return saleSchema.parse(normalizeXSale('acme', xRegisterSaleSchema.parse(json), refs));
};

describe('R-Series Sale → Sale', () => {
  it('sale-completed: two lines of 40.00 − 2.50 sale discount = 37.50 each (system SKUs, unit prices 20.00 and 40.00), one card payment of 86.25, Marc (type 2) with email and mobile', () => {
    const sale = r('sale-completed.json');
    expect(sale).toEqual({
      merchantId: 'rpets',
      series: 'r',
      saleId: '51234',
      version: Date.parse('2026-11-20T15:04:11+00:00'),
      state: 'completed',
      completedAt: '2026-11-20T15:04:10.000Z',
      shopId: '1',
      registerId: '1',
      cashierId: '3',
      customer: {
        id: '877',
        segmentId: '2',
        email: 'marc.tremblay@example.com',
        mobile: '5145550177',
        name: 'Marc Tremblay',
        familyName: 'Tremblay',
        exempt: false,
      },
      lines: [
        {
          lineId: '90001',
          productId: '412',
          categoryPath: ['10', '14'],
          quantity: 2,
          net: 3750,
          netPrecise: 3750000,
          isGiftCard: false,
          productCodes: ['210000000412'],
          unitPrice: 2000,
        },
        {
          lineId: '90002',
          productId: '518',
          categoryPath: ['20', '22'],
          quantity: 1,
          net: 3750,
          netPrecise: 3750000,
          isGiftCard: false,
          productCodes: ['210000000518'],
          unitPrice: 4000,
        },
      ],
      payments: [{ kind: 'card', amount: 8625 }],
    });
  });

  it('sale-refund: one unit of line 90001 back, −20.00 + 1.25 discount = −18.75, linked to the original line', () => {
    const sale = r('sale-refund.json');
    expect(sale.lines).toEqual([
      {
        lineId: '90177',
        productId: '412',
        categoryPath: ['10', '14'],
        quantity: -1,
        net: -1875,
        netPrecise: -1875000,
        isGiftCard: false,
        refundsLineId: '90001',
        unitPrice: 2000,
      },
    ]);
    expect(sale.payments).toEqual([{ kind: 'card', amount: -2156 }]);
    expect(sale.customer).toEqual({
      id: '877',
      segmentId: '2',
      email: 'marc.tremblay@example.com',
      name: 'Marc Tremblay',
      familyName: 'Tremblay',
      exempt: false,
    });
  });

  it('sale-gift-card-purchase: the itemID 0 line is a gift card; the −100.00 gift card payment loads it; 100.00 cash', () => {
    const sale = r('sale-gift-card-purchase.json');
    expect(sale.lines).toEqual([{ lineId: '90210', productId: null, categoryPath: [], quantity: 1, net: 0, netPrecise: 0, isGiftCard: true, unitPrice: 0 }]);
    expect(sale.payments).toEqual([
      { kind: 'gift_card', amount: -10000 },
      { kind: 'cash', amount: 10000 },
    ]);
  });

  it('no customer (customerID 0), a voided sale, an open sale, a split tender with a gift card used', () => {
    expect(r('sale-completed.json', (s) => Object.assign(s, { customerID: '0', Customer: undefined })).customer).toBeUndefined();
    expect(r('sale-completed.json', (s) => Object.assign(s, { voided: 'true' })).state).toBe('voided');
    expect(r('sale-completed.json', (s) => Object.assign(s, { completed: 'false' })).state).toBe('open');
    const split = r('sale-completed.json', (s) =>
      Object.assign(s, {
        SalePayments: {
          SalePayment: [
            { amount: '50', PaymentType: { name: 'Gift Card', type: 'gift card' } },
            { amount: '36.25', PaymentType: { name: 'Cash', type: 'cash' } },
            { amount: '10', archived: 'true', PaymentType: { name: 'Cash', type: 'cash' } },
          ],
        },
      }),
    );
    expect(split.payments).toEqual([
      { kind: 'gift_card', amount: 5000 },
      { kind: 'cash', amount: 3625 },
    ]);
  });
});

describe('frequent-buyer facts on a line', () => {
  it('R: a free bag rung at zero with discount 12: its UPC, EAN and SKUs, regular price 54.99 (normalUnitPrice), discountRef 12', () => {
    const sale = r('sale-completed.json', (json) => {
      const line = (json.SaleLines as { SaleLine: Array<Record<string, unknown>> }).SaleLine[0]!;
      Object.assign(line, { unitPrice: '0', normalUnitPrice: '54.99', discountID: '12', calcSubtotal: '0', calcTransactionDiscount: '0', unitQuantity: '1' });
      Object.assign(line.Item as object, { upc: '064992523107', ean: '0064992523107', customSku: 'ACANA-5', manufacturerSku: '0' });
    });
    expect(sale.lines[0]).toMatchObject({
      net: 0,
      quantity: 1,
      productCodes: ['064992523107', '0064992523107', '210000000412', 'ACANA-5'],
      unitPrice: 5499,
      discountRef: '12',
    });
  });

  it('X: a line at zero with a promotion: regular price = price + discount, discountRef = the promotion name, codes from the product', () => {
    const refs = emptyReferenceData();
    refs.products.set('0adaafb3-6583-11e5-fb60-050b7e8f0a01', { categoryId: null, isGiftCard: false, codes: ['064992523107'] });
    const sale = x(
      'sale-closed.json',
      (json) => {
        const lines = json.register_sale_products as Array<Record<string, unknown>>;
        Object.assign(lines[0]!, {
          quantity: 1,
          price: '0.00000',
          price_total: '0.00000',
          discount: '54.99000',
          promotions: [{ id: 'p-9', name: 'Frequent Buyer' }],
        });
      },
      refs,
    );
    expect(sale.lines[0]).toMatchObject({ net: 0, productCodes: ['064992523107'], unitPrice: 5499, discountRef: 'Frequent Buyer' });
  });
});

describe('X-Series register_sale → Sale', () => {
  it('sale-closed: lines 24.00 and 25.40 (price_total, after discount, before tax; regular unit prices 12.00 and 25.40 + 2.60 = 28.00), card 56.81, Jane in her group', () => {
    const refs = emptyReferenceData();
    refs.categories.set('cat-dog', { id: 'cat-dog', name: 'Dog', parentId: null });
    refs.categories.set('cat-food', { id: 'cat-food', name: 'Food', parentId: 'cat-dog' });
    refs.products.set('0adaafb3-6583-11e5-fb60-050b7e8f0a01', { categoryId: 'cat-food', isGiftCard: false });
    const sale = x('sale-closed.json', () => undefined, refs);
    expect(sale).toEqual({
      merchantId: 'acme',
      series: 'x',
      saleId: '0242ac12-0002-11e9-e8c4-5b3a1f6f0a01',
      version: 8812345678,
      state: 'completed',
      completedAt: '2026-11-20T17:03:07.000Z',
      shopId: '0adaafb3-6583-11e5-fb60-050b7e8c9a3e',
      registerId: '0adaafb3-6583-11e5-fb60-050b7e8d0c0e',
      cashierId: '0adaafb3-6583-11e5-fb60-050b7e8e1f22',
      customer: {
        id: '0242ac12-0002-11e9-e8c4-5b3a1f6e7711',
        segmentId: '0adaafb3-6583-11e5-fb60-050b7e8c0001',
        email: 'jane.doe@example.com',
        mobile: '+15145550142',
        name: 'Jane Doe',
        familyName: 'Doe',
        exempt: false,
      },
      lines: [
        {
          lineId: 'li-1',
          productId: '0adaafb3-6583-11e5-fb60-050b7e8f0a01',
          categoryPath: ['cat-dog', 'cat-food'],
          quantity: 2,
          net: 2400,
          netPrecise: 2400000,
          isGiftCard: false,
          unitPrice: 1200,
        },
        {
          lineId: 'li-2',
          productId: '0adaafb3-6583-11e5-fb60-050b7e8f0a02',
          categoryPath: [],
          quantity: 1,
          net: 2540,
          netPrecise: 2540000,
          isGiftCard: false,
          unitPrice: 2800,
        },
      ],
      payments: [{ kind: 'card', amount: 5681 }],
    });
  });

  it('sale-return: a new sale for the original, one unit at −12.00, card −13.80', () => {
    const sale = x('sale-return.json');
    expect(sale.returnFor).toBe('0242ac12-0002-11e9-e8c4-5b3a1f6f0a01');
    expect(sale.lines).toEqual([
      {
        lineId: 'li-r1',
        productId: '0adaafb3-6583-11e5-fb60-050b7e8f0a01',
        categoryPath: [],
        quantity: -1,
        net: -1200,
        netPrecise: -1200000,
        isGiftCard: false,
        unitPrice: 1200,
      },
    ]);
    expect(sale.payments).toEqual([{ kind: 'card', amount: -1380 }]);
  });

  it('sale-voided: same id, higher version, voided', () => {
    const sale = x('sale-voided.json');
    expect(sale).toMatchObject({ saleId: '0242ac12-0002-11e9-e8c4-5b3a1f6f0a01', version: 8812350000, state: 'voided' });
  });

  it.each([
    ['LAYBY', 'open'],
    ['LAYBY_CLOSED', 'completed'],
    ['ONACCOUNT', 'open'],
    ['ONACCOUNT_CLOSED', 'completed'],
    ['SAVED', 'open'],
    ['SOMETHING_NEW', 'open'],
  ])('status %s is %s', (status, state) => {
    expect(x('sale-closed.json', (s) => Object.assign(s, { status })).state).toBe(state);
  });

  it('walk-in and missing customers have no customer; enable_loyalty false marks the customer exempt', () => {
    expect(x('sale-closed.json', (s) => Object.assign(s, { customer: { id: 'w', customer_code: 'WALKIN' } })).customer).toBeUndefined();
    expect(x('sale-closed.json', (s) => Object.assign(s, { customer: null, customer_id: null })).customer).toBeUndefined();
    expect(x('sale-closed.json', (s) => Object.assign(s, { customer: { id: 'c', enable_loyalty: false } })).customer?.exempt).toBe(true);
  });

  it('a gift card sold (gift_card_number), a gift card used as tender, and an exchange with positive and negative lines', () => {
    const sale = x('sale-closed.json', (s) =>
      Object.assign(s, {
        register_sale_products: [
          { id: 'g', product_id: 'gc', quantity: 1, price_total: '50.00000', gift_card_number: '600000123' },
          { id: 'n', product_id: 'p-new', quantity: 1, price_total: 30 },
          { id: 'o', product_id: 'p-old', quantity: -1, price_total: '-12.00000' },
        ],
        register_sale_payments: [
          { amount: '20.00000', retailer_payment_type: { name: 'Gift Card' } },
          { amount: 48, retailer_payment_type: { name: 'Cash' } },
        ],
      }),
    );
    expect(sale.lines.map((l) => [l.lineId, l.net, l.isGiftCard])).toEqual([
      ['g', 5000, true],
      ['n', 3000, false],
      ['o', -1200, false],
    ]);
    expect(sale.payments).toEqual([
      { kind: 'gift_card', amount: 2000 },
      { kind: 'cash', amount: 4800 },
    ]);
  });

  it("accepts money as 5-decimal strings: '234.69565' is 234.70", () => {
    const sale = x('sale-closed.json', (s) =>
      Object.assign(s, { register_sale_products: [{ id: 'a', product_id: 'p', quantity: '1', price_total: '234.69565' }] }),
    );
    expect(sale.lines[0]!.net).toBe(23470);
  });
});

describe('X-Series 2.0 sale (reconciliation poll) → Sale', () => {
  it('reads line_items and payments, and the customer fetched separately', async () => {
    const { normalizeXSale20, xSale20Schema } = await import('../../../src/lightspeed/x/sale20.js');
    const raw = xSale20Schema.parse({
      id: 's20',
      version: 42,
      status: 'CLOSED',
      customer_id: 'c1',
      sale_date: '2026-11-20T17:03:07Z',
      outlet_id: 'o1',
      line_items: [
        { id: 'a', product_id: 'p1', quantity: 2, price_total: '24.00000' },
        { id: 'b', product_id: 'p2', quantity: 1, price: '5.5', gift_card_number: '6000' },
      ],
      payments: [{ amount: '29.50000', name: 'Visa' }],
    });
    const sale = saleSchema.parse(
      normalizeXSale20('acme', raw, { id: 'c1', customer_group_id: 'g1', email: 'a@b.c', enable_loyalty: true }, emptyReferenceData()),
    );
    expect(sale).toMatchObject({
      saleId: 's20',
      version: 42,
      state: 'completed',
      customer: { id: 'c1', segmentId: 'g1', email: 'a@b.c', exempt: false },
      lines: [
        { lineId: 'a', net: 2400, isGiftCard: false },
        { lineId: 'b', net: 550, isGiftCard: true },
      ],
      payments: [{ kind: 'card', amount: 2950 }],
    });
  });
});
