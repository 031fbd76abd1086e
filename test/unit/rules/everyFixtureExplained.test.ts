import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeRSale } from '../../../src/lightspeed/r/normalize.js';
import { rSaleResponseSchema } from '../../../src/lightspeed/r/schemas.js';
import { emptyReferenceData } from '../../../src/lightspeed/refs/types.js';
import { normalizeXSale, xRegisterSaleSchema } from '../../../src/lightspeed/x/sale10.js';
import { evaluate, saleSchema, type RulesInput, type Sale } from '../../../src/rules/index.js';
import { context, rules } from './builders.js';

// Every decision carries at least one reason: every Lightspeed payload we hold (hand-made here and in
// ../shared, and Lightspeed's published examples), under several rule sets, and the two shapes that
// once came out with none.
const here = path.dirname(fileURLToPath(import.meta.url));
const roots = [path.resolve(here, '../../fixtures'), path.resolve(here, '../../../../shared/fixtures/lightspeed')];

const jsonFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? jsonFiles(full) : name.endsWith('.json') ? [full] : [];
  });

/** The canonical sale a payload holds, whichever series, or null for reference lists (categories, types). */
function saleOf(file: string): Sale | null {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if ('Sale' in json) return saleSchema.parse(normalizeRSale('m', rSaleResponseSchema.parse(json).Sale, emptyReferenceData()));
  if ('register_sale_products' in json || 'register_id' in json)
    return saleSchema.parse(normalizeXSale('m', xRegisterSaleSchema.parse(json), emptyReferenceData()));
  return null;
}

const files = roots.flatMap((root) => {
  try {
    return jsonFiles(root);
  } catch {
    return [];
  }
});
const sales = files.map((file) => [path.relative(path.resolve(here, '../../..'), file), file] as const).filter(([, file]) => saleOf(file) !== null);

const ruleSets: Array<[string, RulesInput]> = [
  ['defaults', {}],
  ['from 2000, after 14 days', { autoRewards: { enabled: true, startDate: '2000-01-01' }, delayDays: 14 }],
  ['autorewards off', { autoRewards: { enabled: false } }],
  [
    "everything exempt, Lightspeed's switch respected",
    { autoRewards: { enabled: true, startDate: '2000-01-01' }, requireIdentity: true, respectLightspeedLoyalty: true },
  ],
];

describe('every decision carries at least one reason', () => {
  it('finds the fixtures: hand-made (both folders) and the published ones', () => {
    expect(sales.some(([name]) => name.includes('published/x-'))).toBe(true);
    expect(sales.some(([name]) => name.includes('published/r-'))).toBe(true);
    // The repository's own fixtures alone are 12 sales; ../shared's hand-made ones add more when that folder is beside the clone.
    expect(sales.length).toBeGreaterThanOrEqual(12);
  });

  it.each(sales.flatMap(([name, file]) => ruleSets.map(([label, input]) => [name, label, file, input] as const)))('%s, %s', (_name, _label, file, input) => {
    const sale = saleOf(file)!;
    for (const now of ['2030-01-01T00:00:00.000Z', sale.completedAt ?? '2030-01-01T00:00:00.000Z']) {
      const d = evaluate(sale, rules(input), context({ now }));
      expect(d.reasons.length, `${d.status} ${d.points}`).toBeGreaterThan(0);
    }
  });

  it('an R sale with customerID "0" and no lines says it has nothing to earn on', () => {
    const json = JSON.parse(readFileSync(path.join(roots[0]!, 'lightspeed/r/sale-completed.json'), 'utf8')) as { Sale: Record<string, unknown> };
    Object.assign(json.Sale, { customerID: '0', Customer: undefined, SaleLines: undefined, SalePayments: undefined });
    const sale = saleSchema.parse(normalizeRSale('m', rSaleResponseSchema.parse(json).Sale, emptyReferenceData()));
    const d = evaluate(sale, rules({ autoRewards: { enabled: true, startDate: '2000-01-01' } }), context());
    expect(d).toMatchObject({ status: 'none', points: 0 });
    expect(d.reasons.map((r) => r.code)).toEqual(['NOTHING_ELIGIBLE']);
    expect(d.reasons[0]!.message).toContain('has no lines');
  });

  it('a closed X sale of a negative-priced coupon, not a return, says its eligible amount is not positive', () => {
    const json = JSON.parse(readFileSync(path.join(roots[0]!, 'lightspeed/x/sale-closed.json'), 'utf8')) as Record<string, unknown>;
    json.register_sale_products = [{ id: 'coupon', product_id: 'c1', quantity: 1, price: '-5.00000', price_total: '-5.00000' }];
    json.register_sale_payments = [];
    const sale = saleSchema.parse(normalizeXSale('m', xRegisterSaleSchema.parse(json), emptyReferenceData()));
    const d = evaluate(sale, rules({ autoRewards: { enabled: true, startDate: '2000-01-01' } }), context());
    expect(d).toMatchObject({ status: 'none', points: 0 });
    expect(d.reasons.map((r) => r.code)).toEqual(['NOTHING_ELIGIBLE']);
    expect(d.reasons[0]!.message).toContain('-5.00');
  });
});
