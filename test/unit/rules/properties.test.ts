import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, rulesSchema, type Rules, type Sale } from '../../../src/rules/index.js';
import { context, sale } from './builders.js';

const RUNS = { numRuns: 1000 };

const arbRules = fc.record({
  earn: fc.record({
    pointsPerStep: fc.integer({ min: 1, max: 20 }),
    stepAmount: fc.integer({ min: 1, max: 10_000 }),
    rounding: fc.constantFrom('down' as const, 'up' as const),
  }),
  customerSegments: fc.record({
    excluded: fc.subarray(['1', '2', '3']),
    multipliers: fc.dictionary(
      fc.constantFrom('1', '2', '3'),
      fc.integer({ min: 1, max: 500 }).map((h) => h / 100),
    ),
  }),
  exemptions: fc.record({ productIds: fc.subarray(['p1', 'p2', 'p3']), categoryIds: fc.subarray(['10', '14', '20']) }),
  autoRewards: fc.record({ enabled: fc.boolean() }),
  delayDays: fc.integer({ min: 0, max: 30 }),
  requireIdentity: fc.boolean(),
});

const arbLine = fc.record({
  lineId: fc.uuid(),
  productId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
  categoryPath: fc.constantFrom<string[][]>([], ['10'], ['10', '14'], ['20', '22']),
  quantity: fc.integer({ min: 1, max: 10 }),
  net: fc.integer({ min: -5_000, max: 500_000 }),
  isGiftCard: fc.boolean(),
});

const arbSale = fc.record({
  lines: fc.array(arbLine, { minLength: 1, maxLength: 8 }),
  payments: fc.array(
    fc.record({
      kind: fc.constantFrom('cash', 'card', 'gift_card', 'store_credit', 'loyalty', 'on_account', 'other') as fc.Arbitrary<Sale['payments'][number]['kind']>,
      amount: fc.integer({ min: -10_000, max: 500_000 }),
    }),
    { maxLength: 4 },
  ),
  segmentId: fc.constantFrom('1', '2', '3', null),
  rewardsRequested: fc.boolean(),
});

const toRules = (input: unknown): Rules => ({ ...rulesSchema.parse(input), version: 1 });

describe('rules engine properties', () => {
  it('every decision carries at least one reason (any lines, none, any customer or none, any state)', () => {
    fc.assert(
      fc.property(
        arbRules,
        arbSale,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('open' as const, 'completed' as const, 'voided' as const),
        (r, s, noLines, noCustomer, state) => {
          const d = evaluate(
            sale({
              state,
              lines: noLines ? [] : s.lines,
              payments: s.payments,
              customer: noCustomer ? undefined : { id: 'c', segmentId: s.segmentId, exempt: false, email: 'e@x' },
            }),
            toRules(r),
            context({ rewardsRequested: s.rewardsRequested }),
          );
          expect(d.reasons.length).toBeGreaterThan(0);
        },
      ),
      RUNS,
    );
  });

  it('points are never negative for a sale and never exceed base/step × max multiplier (+1 step when rounding up)', () => {
    fc.assert(
      fc.property(arbRules, arbSale, (r, s) => {
        const rules = toRules(r);
        const d = evaluate(
          sale({ lines: s.lines, payments: s.payments, customer: { id: 'c', segmentId: s.segmentId, exempt: false, email: 'e@x' } }),
          rules,
          context({ rewardsRequested: s.rewardsRequested }),
        );
        const maxMultiplier = Math.max(1, ...Object.values(rules.customerSegments.multipliers));
        const positiveNet = s.lines.reduce((sum, l) => sum + Math.max(0, l.net), 0);
        // In hundredths, as the engine counts multipliers: a float product (2907 × 1.1 = 3196.9999…) is not the bound.
        const boundHundredths =
          (Math.floor(positiveNet / rules.earn.stepAmount) + (rules.earn.rounding === 'up' ? 1 : 0)) *
          rules.earn.pointsPerStep *
          Math.round(maxMultiplier * 100);
        expect(d.points).toBeGreaterThanOrEqual(0);
        expect(d.points * 100).toBeLessThanOrEqual(boundHundredths);
        expect(d.lines.reduce((sum, l) => sum + l.points, 0)).toBe(d.points);
      }),
      RUNS,
    );
  });

  it('the reversals of any sequence of partial returns never exceed what the sale earned', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 6 }), net: fc.integer({ min: 1, max: 100_000 }) }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ line: fc.nat(3), quantity: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 8 }),
        (sold, returns) => {
          const rules = toRules({});
          const original = evaluate(
            sale({
              saleId: 'o',
              lines: sold.map((l, i) => ({ lineId: `l${i}`, productId: `p${i}`, categoryPath: [], isGiftCard: false, ...l })),
              payments: [],
            }),
            rules,
            context(),
          );
          let total = 0;
          const byLine: Record<string, { quantity: number; points: number }> = {};
          for (const [n, r] of returns.entries()) {
            const target = `l${r.line % sold.length}`;
            const d = evaluate(
              sale({
                saleId: `r${n}`,
                returnFor: 'o',
                lines: [{ lineId: `r${n}`, productId: null, categoryPath: [], isGiftCard: false, quantity: -r.quantity, net: -1, refundsLineId: target }],
                payments: [],
              }),
              rules,
              context({ original: { saleId: 'o', decision: original, reversed: { total, byLine } } }),
            );
            expect(d.points).toBeLessThanOrEqual(0);
            total += -d.points;
            const prior = byLine[target] ?? { quantity: 0, points: 0 };
            const soldQty = sold[r.line % sold.length]!.quantity;
            byLine[target] = { quantity: Math.min(soldQty, prior.quantity + r.quantity), points: prior.points - d.points };
            expect(total).toBeLessThanOrEqual(original.points);
          }
        },
      ),
      RUNS,
    );
  });

  it('is deterministic: the same input gives the same decision', () => {
    fc.assert(
      fc.property(arbRules, arbSale, (r, s) => {
        const rules = toRules(r);
        const input = sale({ lines: s.lines, payments: s.payments });
        const ctx = context({ rewardsRequested: s.rewardsRequested });
        expect(evaluate(input, rules, ctx)).toEqual(evaluate(structuredClone(input), rules, ctx));
      }),
      RUNS,
    );
  });
});

describe('rules document', () => {
  it('defaults: 1 point per 1.00, rounding down, autorewards on, no delay, gift card / store credit / loyalty excluded, Lightspeed’s loyalty switch not respected', () => {
    expect(rulesSchema.parse({})).toEqual({
      earn: { pointsPerStep: 1, stepAmount: 100, rounding: 'down' },
      customerSegments: { excluded: [], multipliers: {} },
      exemptions: { productIds: [], categoryIds: [] },
      tenders: { excluded: ['gift_card', 'store_credit', 'loyalty'] },
      autoRewards: { enabled: true },
      delayDays: 0,
      requireIdentity: false,
      respectLightspeedLoyalty: false,
    });
  });

  it('names the field in a validation error', () => {
    const bad = rulesSchema.safeParse({ earn: { stepAmount: 0 }, autoRewards: { startDate: '20-11-2026' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['earn.stepAmount', 'autoRewards.startDate']);
  });
});

describe('the engine is pure', () => {
  it('imports nothing from I/O code', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../../src/rules/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const imports = [...readFileSync(new URL(file, dir), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(
        imports.filter((i) => i !== 'zod' && !i!.startsWith('./')),
        file,
      ).toEqual([]);
    }
  });
});
