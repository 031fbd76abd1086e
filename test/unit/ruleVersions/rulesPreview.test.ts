import { describe, expect, it } from 'vitest';
import { reasonNames } from '../../../src/ruleVersions/preview.js';
import { rulesDiff } from '../../../src/ruleVersions/rulesDiff.js';

describe('rulesDiff', () => {
  it('names each changed leaf by its dotted path, and lists compare whole', () => {
    expect(
      rulesDiff(
        { earn: { stepAmount: 100, rounding: 'down' }, delayDays: 0, tenders: { excluded: ['gift_card'] } },
        { earn: { stepAmount: 200, rounding: 'down' }, delayDays: 0, tenders: { excluded: ['gift_card', 'loyalty'] } },
      ),
    ).toEqual([
      { path: 'earn.stepAmount', before: 100, after: 200 },
      { path: 'tenders.excluded', before: ['gift_card'], after: ['gift_card', 'loyalty'] },
    ]);
    expect(rulesDiff({ delayDays: 3 }, { delayDays: 3 })).toEqual([]);
  });
});

describe('reasonNames', () => {
  it('resolves segment, product and category path names, and nothing it does not know', () => {
    const names = {
      segments: { g1: 'Wholesale' },
      categoryPaths: { food: 'Dog / Food' },
      categories: { food: 'Food' },
      categoryParents: { food: 'dog' },
      products: { p1: 'Kibble' },
    };
    expect(reasonNames({ segmentId: 'g1', productId: 'p1', categoryId: 'food' }, names)).toEqual({
      segment: 'Wholesale',
      product: 'Kibble',
      category: 'Dog / Food',
    });
    expect(reasonNames({ segmentId: 'unknown' }, names)).toEqual({});
  });
});
