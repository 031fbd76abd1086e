import { describe, expect, it } from 'vitest';
import { evaluate, noteDecision, reasonCodes, type Decision, type ReasonCode } from '../../../src/rules/index.js';
import { context, line, rules, sale } from './builders.js';

const codes = (d: Decision) => d.reasons.map((r) => r.code);
const seen = new Set<ReasonCode>();
const track = (d: Decision) => {
  for (const c of codes(d)) seen.add(c);
  return d;
};
const run = (...args: Parameters<typeof evaluate>) => track(evaluate(...args));

describe('earning', () => {
  it('1 point per 1.00: 10.00 earns 10 and is credited', () => {
    const d = run(sale(), rules(), context());
    expect(d).toMatchObject({ status: 'credited', points: 10, base: 1000 });
    expect(codes(d)).toEqual(['CREDITED']);
    expect(d.lines[0]).toMatchObject({ eligible: 1000, points: 10, exemptBy: null });
  });

  it.each([
    ['down', 1999, 19],
    ['up', 1901, 20],
    ['down', 99, 0],
  ] as const)('rounding %s: %i minor units earn %i', (rounding, net, points) => {
    const d = run(sale({ lines: [line({ net })], payments: [] }), rules({ earn: { rounding } }), context());
    expect(d.points).toBe(points);
  });

  it('lines that come to nothing positive (a coupon alone) say so: every decision has a reason', () => {
    const d = run(sale({ lines: [line({ net: -500 })], payments: [] }), rules(), context());
    expect(d).toMatchObject({ status: 'none', points: 0 });
    expect(codes(d)).toEqual(['NOTHING_ELIGIBLE']);
  });

  it('below one step says so', () => {
    const d = run(sale({ lines: [line({ net: 99 })] }), rules(), context());
    expect(d.status).toBe('none');
    expect(codes(d)).toEqual(['BELOW_STEP']);
    expect(d.reasons[0]!.message).toContain('0.99 is below the 1.00');
  });

  it('pointsPerStep and stepAmount: 5 points per 2.00, 45.00 earns 110', () => {
    const d = run(sale({ lines: [line({ net: 4500 })] }), rules({ earn: { pointsPerStep: 5, stepAmount: 200 } }), context());
    expect(d.points).toBe(110);
  });

  it('a segment multiplier of 1.5 turns 25 points into 37', () => {
    const d = run(sale({ lines: [line({ net: 2500 })] }), rules({ customerSegments: { multipliers: { '2': 1.5 } } }), context());
    expect(d.points).toBe(37);
  });

  it('splits points over lines in proportion, summing exactly', () => {
    const d = run(
      sale({ lines: [line({ lineId: 'a', net: 1000 }), line({ lineId: 'b', net: 1000 }), line({ lineId: 'c', net: 1000 })], payments: [] }),
      rules({ earn: { pointsPerStep: 1, stepAmount: 300 } }),
      context(),
    );
    expect(d.points).toBe(10);
    expect(d.lines.map((l) => l.points)).toEqual([4, 3, 3]);
  });
});

describe('customer rules', () => {
  it('no customer: nobody to credit', () => {
    const d = run(sale({ customer: undefined }), rules(), context());
    expect(d).toMatchObject({ status: 'none', points: 0 });
    expect(codes(d)).toEqual(['NO_CUSTOMER']);
  });

  it("customer type 3 'Wholesale' excluded, named in the message", () => {
    const d = run(sale({ customer: { id: 'c1', segmentId: '3', exempt: false, email: 'x@y.z' } }), rules({ customerSegments: { excluded: ['3'] } }), context());
    expect(d.points).toBe(0);
    expect(codes(d)).toEqual(['CUSTOMER_SEGMENT_EXCLUDED']);
    expect(d.reasons[0]!.message).toBe("customer type 3 'Wholesale' is excluded by rules v4; the customer's balance is kept");
  });

  it('X-Series says customer group', () => {
    const d = run(
      sale({ series: 'x', customer: { id: 'c1', segmentId: 'g-9', exempt: false } }),
      rules({ customerSegments: { excluded: ['g-9'] } }),
      context(),
    );
    expect(d.reasons[0]!.message).toMatch(/^customer group g-9 is excluded/);
  });

  it("Lightspeed's loyalty switch off (X enable_loyalty false) does not stop earning by default", () => {
    const d = run(sale({ series: 'x', customer: { id: 'c1', segmentId: '2', exempt: true } }), rules(), context());
    expect(d).toMatchObject({ status: 'credited', points: 10 });
    expect(codes(d)).toEqual(['CREDITED']);
  });

  it('with "respect Lightspeed\'s loyalty switch" on, a customer whose switch is off earns nothing, and the reason says so', () => {
    const d = run(sale({ series: 'x', customer: { id: 'c1', segmentId: '2', exempt: true } }), rules({ respectLightspeedLoyalty: true }), context());
    expect(d.points).toBe(0);
    expect(codes(d)).toEqual(['CUSTOMER_EXEMPT']);
    expect(d.reasons[0]!.message).toContain("respect Lightspeed's loyalty switch");
    const switchOn = run(sale({ series: 'x' }), rules({ respectLightspeedLoyalty: true }), context());
    expect(switchOn.points).toBe(10);
  });

  it('identity required: no email or mobile earns nothing; a mobile is enough', () => {
    const anonymous = run(sale({ customer: { id: 'c1', segmentId: null, exempt: false } }), rules({ requireIdentity: true }), context());
    expect(codes(anonymous)).toEqual(['MISSING_IDENTITY']);
    const mobile = run(sale({ customer: { id: 'c1', segmentId: null, exempt: false, mobile: '+15145550142' } }), rules({ requireIdentity: true }), context());
    expect(mobile.points).toBe(10);
  });
});

describe('line exemptions ("à la carte")', () => {
  it('an exempt product line does not earn; the rest does', () => {
    const d = run(
      sale({ lines: [line({ lineId: 'a', productId: 'p1', net: 1000 }), line({ lineId: 'b', productId: 'p2', net: 500 })], payments: [] }),
      rules({ exemptions: { productIds: ['p1'] } }),
      context(),
    );
    expect(d.points).toBe(5);
    expect(codes(d)).toEqual(['LINE_PRODUCT_EXEMPT', 'CREDITED']);
    expect(d.lines[0]).toMatchObject({ exemptBy: 'product', eligible: 0, points: 0 });
  });

  it("a category exempts its subtree: Dog > Food > Prescription is exempt through 'Food'", () => {
    const d = run(sale({ lines: [line({ categoryPath: ['10', '14', '15'] })] }), rules({ exemptions: { categoryIds: ['14'] } }), context());
    expect(d.points).toBe(0);
    expect(codes(d)).toEqual(['LINE_CATEGORY_EXEMPT']);
    expect(d.reasons[0]!.message).toContain("category 14 'Food'");
  });

  it('each exempt line says which rule exempted it and the points it would have earned; the parts add up to what lifting the rules adds', () => {
    const d = run(
      sale({
        lines: [
          line({ lineId: 'a', productId: 'p1', net: 1050 }),
          line({ lineId: 'b', productId: 'p2', net: 500, categoryPath: ['10', '14'] }),
          line({ lineId: 'c', productId: 'p3', net: 520 }),
          line({ lineId: 'g', productId: 'gc', net: 5000, isGiftCard: true }),
        ],
        payments: [],
      }),
      rules({ exemptions: { productIds: ['p1'], categoryIds: ['14'] } }),
      context(),
    );
    // 5.20 earns 5; without the two rules 20.70 would earn 20: 15 withheld, split 10.50 : 5.00 (gift cards stay exempt).
    expect(d.points).toBe(5);
    expect(d.lines.map((l) => [l.lineId, l.exemptBy, l.exemptId, l.withheldPoints])).toEqual([
      ['a', 'product', 'p1', 10],
      ['b', 'category', '14', 5],
      ['c', null, undefined, undefined],
      ['g', 'gift_card', undefined, undefined],
    ]);
  });

  it('withheld points follow the tenders, the step and the multiplier; a gate withholds them itself', () => {
    const lines = [line({ lineId: 'a', productId: 'p1', net: 1000 }), line({ lineId: 'b', productId: 'p2', net: 1000 })];
    const exempt = rules({ exemptions: { productIds: ['p1'] }, customerSegments: { multipliers: { gold: 2 } } });
    const gold = { id: 'c1', segmentId: 'gold', exempt: false, email: 'c@example.com' };
    // Half paid by gift card: 10.00 earns on 5.00 (×2 = 10); both lines would earn on 10.00 (×2 = 20).
    const halfGift = run(
      sale({
        lines,
        customer: gold,
        payments: [
          { kind: 'gift_card', amount: 1000 },
          { kind: 'card', amount: 1000 },
        ],
      }),
      exempt,
      context(),
    );
    expect(halfGift.points).toBe(10);
    expect(halfGift.lines[0]!.withheldPoints).toBe(10);
    const noCustomer = run(sale({ lines, customer: undefined, payments: [] }), exempt, context());
    expect(noCustomer.lines[0]).toMatchObject({ exemptBy: 'product', exemptId: 'p1', withheldPoints: 0 });
  });

  it('a gift card sold never earns', () => {
    const d = run(sale({ lines: [line({ isGiftCard: true, net: 10000 })] }), rules(), context());
    expect(d.points).toBe(0);
    expect(codes(d)).toEqual(['LINE_GIFT_CARD']);
  });
});

describe('tenders', () => {
  it('paying 4.00 of 10.00 by gift card earns on 6.00', () => {
    const d = run(
      sale({
        payments: [
          { kind: 'gift_card', amount: 400 },
          { kind: 'card', amount: 600 },
        ],
      }),
      rules(),
      context(),
    );
    expect(d.points).toBe(6);
    expect(codes(d)).toEqual(['TENDER_EXCLUDED', 'CREDITED']);
    expect(d.reasons[0]!.data).toMatchObject({ excluded: { gift_card: 400 }, paid: 1000, shareBasisPoints: 4000, reducedBy: 400 });
  });

  it('never below zero: store credit larger than the eligible lines', () => {
    const d = run(
      sale({ lines: [line({ net: 500 }), line({ lineId: 'l2', net: 500, isGiftCard: true })], payments: [{ kind: 'store_credit', amount: 1000 }] }),
      rules(),
      context(),
    );
    expect(d.base).toBe(0);
    expect(d.points).toBe(0);
  });

  it.each(['x', 'r'] as const)(
    '%s: 75.00 before tax, 86.25 with tax, paid 43.12 by gift card and 43.13 by card earns 37, as the same split without tax does',
    (series) => {
      const taxed = run(
        sale({
          series,
          lines: [line({ lineId: 'a', net: 5000 }), line({ lineId: 'b', productId: 'p2', net: 2500 })],
          payments: [
            { kind: 'gift_card', amount: 4312 },
            { kind: 'card', amount: 4313 },
          ],
        }),
        rules(),
        context(),
      );
      expect(taxed).toMatchObject({ status: 'credited', points: 37, base: 3750 });
      expect(taxed.reasons[0]!.code).toBe('TENDER_EXCLUDED');
      expect(taxed.reasons[0]!.data).toMatchObject({
        excluded: { gift_card: 4312 },
        paid: 8625,
        shareBasisPoints: 4999,
        eligibleBeforeShare: 7500,
        reducedBy: 3750,
      });
      expect(taxed.reasons[0]!.message).toBe(
        '43.12 by gift card of the 86.25 paid (49.99 %) does not earn points; the eligible amount 75.00 before tax is reduced by that share, 37.50',
      );
      const untaxed = run(
        sale({
          series,
          lines: [line({ lineId: 'a', net: 5000 }), line({ lineId: 'b', productId: 'p2', net: 2500 })],
          payments: [
            { kind: 'gift_card', amount: 3750 },
            { kind: 'card', amount: 3750 },
          ],
        }),
        rules(),
        context(),
      );
      expect(untaxed.points).toBe(37);
    },
  );

  it('payments are netted per kind: cash 50.00 with 10.00 change and 30.00 by gift card is 3/7 excluded', () => {
    const d = run(
      sale({
        lines: [line({ net: 7000 })],
        payments: [
          { kind: 'cash', amount: 5000 },
          { kind: 'cash', amount: -1000 },
          { kind: 'gift_card', amount: 3000 },
        ],
      }),
      rules(),
      context(),
    );
    expect(d.base).toBe(4000);
    expect(d.reasons[0]!.data).toMatchObject({ paid: 7000, shareBasisPoints: 4286 });
  });

  it('a gift card loaded in the sale (negative gift card payment) is not a payment by gift card', () => {
    const d = run(
      sale({
        lines: [line({ lineId: 'a', net: 2000 }), line({ lineId: 'gc', productId: null, net: 5000, isGiftCard: true })],
        payments: [
          { kind: 'cash', amount: 7000 },
          { kind: 'gift_card', amount: -5000 },
        ],
      }),
      rules(),
      context(),
    );
    expect(d.points).toBe(20);
    expect(codes(d)).toEqual(['LINE_GIFT_CARD', 'CREDITED']);
  });

  it('an exchange: the returned goods pay for part of the new ones, so 10.00 by gift card excludes a third of the new 30.00', () => {
    const d = run(
      sale({
        saleId: 'ex',
        returnFor: 'orig',
        lines: [line({ lineId: 'new', productId: 'p2', net: 3000 }), line({ lineId: 'back', quantity: -1, net: -2000, refundsLineId: 'a' })],
        payments: [{ kind: 'gift_card', amount: 1000 }],
      }),
      rules(),
      context(),
    );
    expect(d.base).toBe(2000);
    expect(d.reasons.find((r) => r.code === 'TENDER_EXCLUDED')!.data).toMatchObject({ paid: 3000, reducedBy: 1000 });
  });

  it('a return of a sale half paid by gift card reverses only what the sale earned, whatever tender the refund goes to', () => {
    const original = evaluate(
      sale({
        saleId: 'half',
        lines: [line({ lineId: 'a', net: 5000 }), line({ lineId: 'b', productId: 'p2', net: 5000 })],
        payments: [
          { kind: 'gift_card', amount: 5750 },
          { kind: 'card', amount: 5750 },
        ],
      }),
      rules(),
      context(),
    );
    expect(original.points).toBe(50);
    expect(original.lines.map((l) => l.points)).toEqual([25, 25]);
    const refund = run(
      sale({
        saleId: 'half-ret',
        returnFor: 'half',
        lines: [line({ lineId: 'r1', quantity: -1, net: -5000, refundsLineId: 'a' })],
        payments: [{ kind: 'gift_card', amount: -5750 }],
      }),
      rules(),
      context({ original: { saleId: 'half', decision: original } }),
    );
    expect(refund).toMatchObject({ status: 'reversed', points: -25 });
    expect(codes(refund)).toEqual(['RETURN_REVERSED']);
  });

  it('a tender the merchant allows earns', () => {
    const d = run(sale({ payments: [{ kind: 'gift_card', amount: 1000 }] }), rules({ tenders: { excluded: [] } }), context());
    expect(d.points).toBe(10);
  });
});

describe('autorewards', () => {
  it('a sale before the start date, in the merchant time zone, earns nothing', () => {
    // 2026-11-20T03:00Z is still 2026-11-19 in Montreal (UTC-5).
    const d = run(sale({ completedAt: '2026-11-20T03:00:00.000Z' }), rules({ autoRewards: { enabled: true, startDate: '2026-11-20' } }), context());
    expect(codes(d)).toEqual(['BEFORE_START_DATE']);
    expect(d.reasons[0]!.data).toMatchObject({ saleDate: '2026-11-19', startDate: '2026-11-20' });
    const sameInstantUtc = run(
      sale({ completedAt: '2026-11-20T03:00:00.000Z' }),
      rules({ autoRewards: { enabled: true, startDate: '2026-11-20' } }),
      context({ timezone: 'UTC' }),
    );
    expect(sameInstantUtc.points).toBe(10);
  });

  it("defaults the start date to the merchant's creation date", () => {
    const d = run(sale({ completedAt: '2025-12-31T12:00:00.000Z' }), rules(), context());
    expect(codes(d)).toEqual(['BEFORE_START_DATE']);
  });

  it('off: waits for the rewards button, then earns', () => {
    const waiting = run(sale(), rules({ autoRewards: { enabled: false } }), context());
    expect(codes(waiting)).toEqual(['AWAITING_REWARDS_BUTTON']);
    const pressed = run(sale(), rules({ autoRewards: { enabled: false } }), context({ rewardsRequested: true }));
    expect(pressed.points).toBe(10);
  });
});

describe('delay and state', () => {
  it('14 days: pending until completedAt + 14 days, with the date in the reason', () => {
    const d = run(sale(), rules({ delayDays: 14 }), context());
    expect(d).toMatchObject({ status: 'pending', points: 10, availableAt: '2026-12-04T15:04:10.000Z' });
    expect(codes(d)).toEqual(['PENDING_UNTIL']);
    expect(d.reasons[0]!.data.availableAt).toBe('2026-12-04T15:04:10.000Z');
  });

  it('a delay already over when evaluated credits at once', () => {
    const d = run(sale(), rules({ delayDays: 1 }), context({ now: '2026-12-30T00:00:00.000Z' }));
    expect(d.status).toBe('credited');
  });

  it('an open sale is not yet', () => {
    const d = run(sale({ state: 'open', completedAt: null }), rules(), context());
    expect(codes(d)).toEqual(['SALE_NOT_COMPLETED']);
  });

  it('a void of a sale that was never credited earns nothing; of a credited one reverses it', () => {
    const never = run(sale({ state: 'voided' }), rules(), context());
    expect(never).toMatchObject({ status: 'none', points: 0 });
    expect(codes(never)).toEqual(['SALE_VOIDED']);
    const credited = run(sale({ state: 'voided' }), rules(), context({ alreadyCredited: 10 }));
    expect(credited).toMatchObject({ status: 'reversed', points: 0 });
    expect(codes(credited)).toEqual(['VOID_REVERSED']);
  });

  it('a void after returns took back 12 of 49 points reverses the other 37: the sale keeps 12, which its returns offset', () => {
    const d = run(sale({ state: 'voided' }), rules(), context({ alreadyCredited: 49, returnedPoints: 12 }));
    expect(d).toMatchObject({ status: 'reversed', points: 12 });
    expect(d.reasons).toEqual([
      expect.objectContaining({
        code: 'VOID_REVERSED',
        data: { points: -37, alreadyReturned: 12 },
        message: 'sale s1 was voided; of the 49 points it had, its returns already took back 12, the other 37 are reversed',
      }),
    ]);
    // Everything was returned already: nothing is left to reverse.
    expect(run(sale({ state: 'voided' }), rules(), context({ alreadyCredited: 49, returnedPoints: 49 }))).toMatchObject({ status: 'none', points: 49 });
  });
});

describe('returns', () => {
  const original = evaluate(
    sale({
      saleId: 'orig',
      lines: [line({ lineId: 'a', productId: 'p1', quantity: 2, net: 4000 }), line({ lineId: 'b', productId: 'p2', quantity: 1, net: 3000 })],
      payments: [],
    }),
    rules(),
    context(),
  );
  const returnSale = (lines: ReturnType<typeof line>[]) => sale({ saleId: 'ret', returnFor: 'orig', lines, payments: [] });

  it('the original earned 40 + 30 = 70', () => {
    expect(original.points).toBe(70);
    expect(original.lines.map((l) => l.points)).toEqual([40, 30]);
  });

  it('returning 1 of 2 units of line a reverses 20 of its 40, from the stored decision even if rules changed', () => {
    const d = run(
      returnSale([line({ lineId: 'r1', productId: 'p1', quantity: -1, net: -2000, refundsLineId: 'a' })]),
      rules({ earn: { pointsPerStep: 10 } }, 9),
      context({ original: { saleId: 'orig', decision: original } }),
    );
    expect(d).toMatchObject({ status: 'reversed', points: -20 });
    expect(codes(d)).toEqual(['RETURN_REVERSED']);
  });

  it('matches an X-Series return line by product when no line link is given', () => {
    const d = run(
      returnSale([line({ lineId: 'r1', productId: 'p2', quantity: -1, net: -3000 })]),
      rules(),
      context({ original: { saleId: 'orig', decision: original } }),
    );
    expect(d.points).toBe(-30);
  });

  it('two partial returns of a 3-unit line never reverse more than it earned (10 points: 3 then 3 then 4)', () => {
    const orig = evaluate(sale({ saleId: 'o3', lines: [line({ lineId: 'a', quantity: 3, net: 1000 })], payments: [] }), rules(), context());
    const first = evaluate(
      returnSale([line({ lineId: 'r', quantity: -1, net: -333, refundsLineId: 'a' })]),
      rules(),
      context({ original: { saleId: 'o3', decision: orig } }),
    );
    expect(first.points).toBe(-3);
    const second = evaluate(
      returnSale([line({ lineId: 'r', quantity: -1, net: -333, refundsLineId: 'a' })]),
      rules(),
      context({ original: { saleId: 'o3', decision: orig, reversed: { total: 3, byLine: { a: { quantity: 1, points: 3 } } } } }),
    );
    expect(second.points).toBe(-3);
    const third = evaluate(
      returnSale([line({ lineId: 'r', quantity: -5, net: -333, refundsLineId: 'a' })]),
      rules(),
      context({ original: { saleId: 'o3', decision: orig, reversed: { total: 6, byLine: { a: { quantity: 2, points: 6 } } } } }),
    );
    expect(third.points).toBe(-4);
  });

  it('a return against a sale that earned nothing, or was never seen, reverses nothing', () => {
    const nothing = evaluate(sale({ saleId: 'o', customer: undefined }), rules(), context());
    const d = run(returnSale([line({ quantity: -1, net: -1000, refundsLineId: 'l1' })]), rules(), context({ original: { saleId: 'o', decision: nothing } }));
    expect(d).toMatchObject({ status: 'none', points: 0 });
    const unseen = run(returnSale([line({ quantity: -1, net: -1000 })]), rules(), context());
    expect(unseen.points).toBe(0);
    expect(unseen.reasons[0]!.message).toContain('never earned points here');
  });

  it('an exchange earns on the new line and reverses the returned one', () => {
    const d = run(
      sale({
        saleId: 'ex',
        lines: [line({ lineId: 'new', net: 5000, quantity: 1 }), line({ lineId: 'back', productId: 'p2', quantity: -1, net: -3000, refundsLineId: 'b' })],
        payments: [],
      }),
      rules(),
      context({ original: { saleId: 'orig', decision: original } }),
    );
    expect(d.points).toBe(50 - 30);
    expect(d.status).toBe('credited');
  });
});

describe('notes that change nothing', () => {
  it('STALE_VERSION and MERCHANT_PAUSED', () => {
    track(noteDecision({ saleId: 's1', version: 3 }, 4, 'STALE_VERSION', { appliedVersion: 5 }));
    track(noteDecision({ saleId: 's1', version: 3 }, 4, 'MERCHANT_PAUSED', {}));
  });
});

describe('a sale returned before it was seen', () => {
  it('earns as if it came first: the ledger applies the waiting return to it afterwards', () => {
    const d = evaluate(sale(), rules(), context());
    expect(d).toMatchObject({ status: 'credited', points: 10 });
  });
});

describe('an exchange during the delay', () => {
  const returnSale = (lines: ReturnType<typeof line>[]) => sale({ saleId: 'ret', returnFor: 'ex', lines, payments: [] });
  const orig = evaluate(
    sale({ saleId: 'o', lines: [line({ lineId: 'a', net: 2000 }), line({ lineId: 'b', productId: 'p2', net: 6000 })], payments: [] }),
    rules(),
    context(),
  );
  const exchange = (net: number) =>
    evaluate(
      sale({
        saleId: 'ex',
        completedAt: '2026-11-23T10:00:00.000Z',
        lines: [line({ lineId: 'new', productId: 'p3', net }), line({ lineId: 'back', quantity: -1, net: -2000, refundsLineId: 'a' })],
        payments: [],
      }),
      rules({ delayDays: 14 }),
      context({ original: { saleId: 'o', decision: orig } }),
    );

  it('says the new line earns in full on its own schedule, apart from what the returned line takes back', () => {
    const d = exchange(3000);
    expect(d).toMatchObject({ status: 'pending', points: 10, availableAt: '2026-12-07T10:00:00.000Z' });
    expect(codes(d)).toEqual(['RETURN_REVERSED', 'PENDING_UNTIL']);
    expect(d.reasons[0]!.message).toContain('reverses 20 of the 80 points');
    expect(d.reasons[1]!.data).toMatchObject({ points: 30 });
  });

  it('a cheaper new line: the sale is reversed overall, and the new line still earns on its date', () => {
    const d = exchange(1000);
    expect(d).toMatchObject({ status: 'reversed', points: -10, availableAt: '2026-12-07T10:00:00.000Z' });
    expect(codes(d)).toEqual(['RETURN_REVERSED', 'PENDING_UNTIL']);
  });

  it('a return of the new line reverses all it earned, not only the exchange net', () => {
    const d = evaluate(
      returnSale([line({ lineId: 'r', productId: 'p3', quantity: -1, net: -3000, refundsLineId: 'new' })]),
      rules(),
      context({ original: { saleId: 'ex', decision: exchange(3000) } }),
    );
    expect(d.points).toBe(-30);
    expect(d.reasons[0]!.message).toContain('reverses 30 of the 30 points');
  });
});

describe('a changed customer', () => {
  it('names both customers and the points that move', () => {
    const d = run(sale({ customer: { id: 'c2', segmentId: null, exempt: false } }), rules(), context({ creditedTo: { customerId: 'c1', points: 10 } }));
    expect(d).toMatchObject({ status: 'credited', points: 10, customerId: 'c2' });
    expect(codes(d)).toEqual(['CUSTOMER_CHANGED', 'CREDITED']);
    expect(d.reasons[0]!.message).toBe(
      'sale s1 now names customer c2 instead of customer c1: the 10 points customer c1 had for it are reversed, and customer c2 gets what the sale earns',
    );
  });

  it('no customer any more: the points are reversed', () => {
    const d = run(sale({ customer: undefined }), rules(), context({ creditedTo: { customerId: 'c1', points: 10 } }));
    expect(codes(d)).toEqual(['CUSTOMER_CHANGED', 'NO_CUSTOMER']);
    expect(d.reasons[0]!.message).toContain('no longer names customer c1');
  });

  it('the same customer says nothing of it', () => {
    expect(codes(evaluate(sale(), rules(), context({ creditedTo: { customerId: 'c1', points: 10 } })))).toEqual(['CREDITED']);
  });
});

describe('coverage of reason codes', () => {
  it('every reason code of the design is produced by a test above', () => {
    expect([...reasonCodes].filter((c) => !seen.has(c))).toEqual([]);
  });
});
