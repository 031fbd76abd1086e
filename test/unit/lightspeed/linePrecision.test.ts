import { describe, expect, it } from 'vitest';
import { preciseTimes, toPrecise } from '../../../src/lightspeed/money.js';
import { normalizeRSale } from '../../../src/lightspeed/r/normalize.js';
import { rSaleResponseSchema } from '../../../src/lightspeed/r/schemas.js';
import { emptyReferenceData } from '../../../src/lightspeed/refs/types.js';
import { normalizeXSale, xRegisterSaleSchema } from '../../../src/lightspeed/x/sale10.js';
import { normalizeXSale20, xSale20Schema } from '../../../src/lightspeed/x/sale20.js';
import { evaluate, saleSchema } from '../../../src/rules/index.js';
import { fixture } from '../../helpers/context.js';
import { context, rules } from '../rules/builders.js';

type Json = Record<string, unknown>;

describe('toPrecise: decimals as integers at the payload precision (5 decimals)', () => {
  it.each([
    ['234.69565', 23469565],
    ['233.73913', 23373913],
    ['-12.00000', -1200000],
    ['317.1', 31710000],
    ['0.000005', 1],
    ['-0.000004', 0],
    [56.81, 5681000],
    [0.1 + 0.2, 30000],
  ] as const)('%s → %i', (input, expected) => {
    expect(toPrecise(input)).toBe(expected);
  });

  it('a price times a quantity, both decimals, rounded once: 2.99999 × 3 = 8.99997; 1.33333 × 0.5 = 0.666665 → 0.66667', () => {
    expect(preciseTimes('2.99999', '3')).toBe(899997);
    expect(preciseTimes('1.33333', 0.5)).toBe(66667);
    expect(preciseTimes('-1.33333', 0.5)).toBe(-66667);
  });
});

// 19 lines at 269.90 with 15 % tax included (234.69565 before tax) and one at 268.80 (233.73913): the sale's
// own pre-tax total is 4,692.95648, 4,692 points; lines rounded to the cent first sum to 4,693.04 (4,693).
const prices = [...Array.from({ length: 19 }, () => '234.69565'), '233.73913'];

describe('a many-line sale is summed at the payload precision and rounded once', () => {
  it('X webhook (register_sale): 19 lines at 234.69565 and one at 233.73913 earn 4,692 on 4,692.96, not 4,693', () => {
    const closed = fixture<Json>('lightspeed/x/sale-closed.json');
    const raw = {
      ...closed,
      register_sale_products: prices.map((price, i) => ({ id: `l${i}`, product_id: `p${i}`, quantity: 1, price, price_total: price, discount: '0', tax: '0' })),
      register_sale_payments: [{ id: 'pay', amount: '5397.00000', retailer_payment_type: { id: 'cc', name: 'Credit Card' } }],
    };
    const sale = saleSchema.parse(normalizeXSale('acme', xRegisterSaleSchema.parse(raw), emptyReferenceData()));
    const decision = evaluate(sale, rules({ autoRewards: { enabled: true, startDate: '2020-01-01' } }), context());
    expect(decision).toMatchObject({ status: 'credited', points: 4692, base: 469296 });
    expect(decision.lines.reduce((sum, l) => sum + l.points, 0)).toBe(4692);
  });

  it('X poll (API 2.0): the same lines earn the same', () => {
    const raw = {
      id: 'sale-20',
      version: 7,
      status: 'CLOSED',
      sale_date: '2026-11-20T15:04:10Z',
      line_items: prices.map((price, i) => ({ id: `l${i}`, product_id: `p${i}`, quantity: 1, price_total: price })),
      payments: [{ amount: 5397, name: 'Credit Card' }],
    };
    const sale = saleSchema.parse(normalizeXSale20('acme', xSale20Schema.parse(raw), { id: 'c1', customer_group_id: null }, emptyReferenceData()));
    expect(evaluate(sale, rules({ autoRewards: { enabled: true, startDate: '2020-01-01' } }), context())).toMatchObject({ points: 4692, base: 469296 });
  });

  it('X line without price_total: price × quantity at full precision (0.5 × 1.33333 = 0.66667)', () => {
    const closed = fixture<Json>('lightspeed/x/sale-closed.json');
    const raw = { ...closed, register_sale_products: [{ id: 'l1', product_id: 'p1', quantity: '0.5', price: '1.33333' }] };
    const sale = saleSchema.parse(normalizeXSale('acme', xRegisterSaleSchema.parse(raw), emptyReferenceData()));
    expect(sale.lines[0]).toMatchObject({ net: 67, netPrecise: 66667 });
  });

  it('R: a line net is calcSubtotal − calcLineDiscount − calcTransactionDiscount at full precision, the sale rounded once', () => {
    const json = fixture<{ Sale: Json }>('lightspeed/r/sale-completed.json');
    const lines = (json.Sale.SaleLines as { SaleLine: Json[] }).SaleLine;
    // A 1.00 sale discount spread over three 10.00 lines: 0.33333 each (as R may store it).
    const three = [0, 1, 2].map((i) => ({ ...lines[0], saleLineID: `9${i}`, unitQuantity: '1', calcSubtotal: '10', calcTransactionDiscount: '0.33333' }));
    json.Sale.SaleLines = { SaleLine: three };
    const sale = saleSchema.parse(normalizeRSale('rpets', rSaleResponseSchema.parse(json).Sale, emptyReferenceData()));
    expect(sale.lines.map((l) => l.netPrecise)).toEqual([966667, 966667, 966667]);
    // 1 point per cent shows the cent: 29.00 (rounded once), not 3 × 9.67 = 29.01.
    const decision = evaluate(sale, rules({ earn: { stepAmount: 1 }, autoRewards: { enabled: true, startDate: '2020-01-01' } }), context());
    expect(decision).toMatchObject({ base: 2900, points: 2900 });
  });
});
