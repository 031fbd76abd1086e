import { describe, expect, it } from 'vitest';
import { causeOf } from '../../../src/insights/cause.js';
import { periodOf } from '../../../src/insights/period.js';
import { attachView, bucketsOf, intakeView, saleListView, withheldView } from '../../../src/insights/views.js';
import type { Decision } from '../../../src/rules/decision.js';
import { reason } from '../../../src/rules/reasons.js';

const decision = (over: Partial<Decision>): Decision => ({
  saleId: 's',
  saleVersion: 1,
  rulesVersion: 1,
  status: 'none',
  points: 0,
  availableAt: null,
  base: 0,
  customerId: 'c',
  returnFor: null,
  lines: [],
  reasons: [],
  ...over,
});
const line = (exemptBy: Decision['lines'][number]['exemptBy'], net: number, eligible = 0) => ({
  lineId: 'l',
  productId: 'p',
  quantity: 1,
  net,
  eligible,
  exemptBy,
  points: 0,
});

describe('the cause of a sale', () => {
  it('gates first, in the order a person fixes them; then everything exempt by the largest exemption; then tenders and the step', () => {
    expect(causeOf(decision({ customerId: null, reasons: [reason('NO_CUSTOMER', ''), reason('LINE_GIFT_CARD', '')] }))).toBe('NO_CUSTOMER');
    expect(causeOf(decision({ reasons: [reason('AWAITING_REWARDS_BUTTON', '')] }))).toBe('AWAITING_REWARDS_BUTTON');
    expect(causeOf(decision({ lines: [line('category', 3000), line('product', 1000)], reasons: [reason('LINE_CATEGORY_EXEMPT', '')] }))).toBe(
      'LINE_CATEGORY_EXEMPT',
    );
    expect(causeOf(decision({ lines: [line(null, 3000, 3000)], reasons: [reason('TENDER_EXCLUDED', '')] }))).toBe('TENDER_EXCLUDED');
    expect(causeOf(decision({ base: 50, lines: [line(null, 50, 50)], reasons: [reason('BELOW_STEP', '')] }))).toBe('BELOW_STEP');
    expect(causeOf(decision({ status: 'credited', points: 4 }))).toBe('CREDITED');
    expect(causeOf(decision({ status: 'reversed', points: -3, returnFor: 'o' }))).toBe('RETURN');
    expect(causeOf(decision({ status: 'reversed', reasons: [reason('VOID_REVERSED', '', { points: -5 })] }))).toBe('SALE_VOIDED');
    expect(causeOf(decision({ reasons: [reason('SALE_NOT_COMPLETED', '')] }))).toBe('SALE_NOT_COMPLETED');
  });
});

describe('periods and buckets', () => {
  it('the last 7 days end today in the store’s time zone (03:00 UTC is still yesterday in Montreal)', () => {
    expect(periodOf({ period: '7', by: 'day' }, 'America/Montreal', new Date('2026-12-07T03:00:00Z'))).toEqual({
      from: '2026-11-30',
      to: '2026-12-06',
      by: 'day',
    });
  });

  it('weeks start on Monday and are clipped to the window', () => {
    expect(bucketsOf({ from: '2026-12-02', to: '2026-12-08', by: 'week' })).toEqual([
      { bucket: '2026-11-30', from: '2026-12-02', to: '2026-12-06' },
      { bucket: '2026-12-07', from: '2026-12-07', to: '2026-12-08' },
    ]);
  });

  it('the delay median and p95 are the upper bounds of their power-of-two buckets', () => {
    const view = intakeView(bucketsOf({ from: '2026-12-01', to: '2026-12-01', by: 'day' }), [
      { bucket: '2026-12-01', source: 'webhook', delay_bucket: 0, sales: 60 },
      { bucket: '2026-12-01', source: 'poll', delay_bucket: 9, sales: 40 },
    ]);
    expect(view.totals).toMatchObject({ webhook: 60, poll: 40 });
    expect(view.delay).toEqual({ sales: 100, medianSecondsAtMost: 2, p95SecondsAtMost: 1024 });
    expect(view.webhookShare).toBe(0.6);
  });

  it('reads the store’s grouping sets (sources per bucket, delays over the window) as it reads full rows', () => {
    const buckets = bucketsOf({ from: '2026-12-01', to: '2026-12-02', by: 'day' });
    const full = intakeView(buckets, [
      { bucket: '2026-12-01', source: 'webhook', delay_bucket: 0, sales: 60 },
      { bucket: '2026-12-01', source: 'poll', delay_bucket: 9, sales: 40 },
      { bucket: '2026-12-02', source: 'webhook', delay_bucket: 1, sales: 10 },
    ]);
    const grouped = intakeView(buckets, [
      { bucket: '2026-12-01', source: 'webhook', delay_bucket: null, sales: 60 },
      { bucket: '2026-12-01', source: 'poll', delay_bucket: null, sales: 40 },
      { bucket: '2026-12-02', source: 'webhook', delay_bucket: null, sales: 10 },
      { bucket: null, source: null, delay_bucket: 0, sales: 60 },
      { bucket: null, source: null, delay_bucket: 1, sales: 10 },
      { bucket: null, source: null, delay_bucket: 9, sales: 40 },
    ]);
    expect(grouped).toEqual(full);
    expect(grouped.totals).toMatchObject({ webhook: 70, poll: 40, unknown: 0 });
  });
});

describe('names of cashiers, registers and outlets', () => {
  const row = (sale_id: string, register_id: string, cashier_id: string) => ({
    sale_id,
    day: '2026-11-02',
    completed_at: null,
    outlet_id: 'o1',
    register_id,
    cashier_id,
    cause: 'NO_CUSTOMER',
    has_customer: false,
    points: 0,
    reversed: 0,
    first_source: 'webhook',
  });

  it('a sale list names what Lightspeed named and leaves the rest null (the console shows the id)', () => {
    const view = saleListView([row('a', 'r1', 'u1'), row('b', 'r2', ''), row('c', 'r1', 'u1')], 2, {
      register: { r1: 'Front counter' },
      cashier: { u1: 'Alex Martin' },
    });
    expect(view.sales.map((s) => [s.saleId, s.registerId, s.registerName, s.cashierId, s.cashierName, s.outletName])).toEqual([
      ['a', 'r1', 'Front counter', 'u1', 'Alex Martin', null],
      ['b', 'r2', null, null, null, null],
    ]);
    expect(view.more).toBe(true);
    expect(view.names).toEqual({ outlet: {}, register: { r1: 'Front counter' }, cashier: { u1: 'Alex Martin' } });
  });

  it('the attach rate names each row when it can', () => {
    const rows = [
      { dimension: 'cashier' as const, id: 'u1', sales: 4, with_customer: 1 },
      { dimension: 'cashier' as const, id: 'u2', sales: 2, with_customer: 2 },
    ];
    expect(attachView(rows, { cashier: { u2: 'Bea Roy' } }).cashier.map((r) => [r.id, r.name])).toEqual([
      ['u1', null],
      ['u2', 'Bea Roy'],
    ]);
  });
});

describe('withheldView (figure 5)', () => {
  it('ranks exemptions by points withheld, names them where known, and draws the first six per bucket', () => {
    const buckets = bucketsOf({ from: '2026-11-01', to: '2026-11-02', by: 'day' });
    const rows = [
      { bucket: '2026-11-01', kind: 'category' as const, exempt_id: 'c1', sales: 2, points: 30 },
      { bucket: '2026-11-02', kind: 'category' as const, exempt_id: 'c1', sales: 1, points: 10 },
      { bucket: '2026-11-02', kind: 'product' as const, exempt_id: 'p1', sales: 5, points: 50 },
      ...Array.from({ length: 6 }, (_, i) => ({ bucket: '2026-11-01', kind: 'product' as const, exempt_id: `q${i}`, sales: 1, points: 1 })),
    ];
    const v = withheldView(buckets, rows, { product: { p1: 'Wine' }, category: {} });
    expect(v.exemptions.slice(0, 2)).toEqual([
      { key: 'product:p1', kind: 'product', id: 'p1', name: 'Wine', points: 50, sales: 5 },
      { key: 'category:c1', kind: 'category', id: 'c1', name: null, points: 40, sales: 3 },
    ]);
    expect(v.exemptions).toHaveLength(8);
    expect(v.total).toEqual({ points: 96 });
    expect(v.series.keys).toEqual(['product:p1', 'category:c1', 'product:q0', 'product:q1', 'product:q2', 'product:q3']);
    expect(v.series.rows.map((r) => [r.bucket, r.points['product:p1'], r.points['category:c1']])).toEqual([
      ['2026-11-01', 0, 30],
      ['2026-11-02', 50, 10],
    ]);
  });
});
