import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xRegisterSale } from '../../../bench/data.js';
import { checkXRegisterSale } from '../../../src/lightspeed/x/saleCheck.js';
import { xRegisterSaleSchema } from '../../../src/lightspeed/x/sale10.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/lightspeed/x');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown] as const)
  .filter(([, json]) => xRegisterSaleSchema.safeParse(json).success);
const closed = JSON.parse(readFileSync(path.join(dir, 'sale-closed.json'), 'utf8')) as Record<string, unknown>;

const picked = (data: { id: string; version: number; invoice_number?: string | null; outlet_id?: string | null; register_id?: string | null }) => ({
  id: data.id,
  version: data.version,
  invoice_number: data.invoice_number,
  outlet_id: data.outlet_id,
  register_id: data.register_id,
});

/** The hand check may only say yes where zod says yes, with the same fields. */
function agrees(json: unknown): boolean {
  const fast = checkXRegisterSale(json);
  if (fast === null) return true;
  const zod = xRegisterSaleSchema.safeParse(json);
  expect(zod.success).toBe(true);
  expect(fast).toEqual(picked(zod.data!));
  return true;
}

// Values that sit on the schema's edges: numbers JSON.parse makes infinite, decimals with spaces, digit strings.
const edge = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(Infinity, -Infinity, Number('1e400'), -0, 1.5, 2 ** 53, '12', ' 12.5 ', '1.', '.5', '+3', '-', '', 'true', 'false', 0, 1, 2, null),
  fc.string(),
);
const PATHS = [
  ['id'],
  ['version'],
  ['status'],
  ['invoice_number'],
  ['outlet_id'],
  ['register_id'],
  ['customer'],
  ['customer', 'enable_loyalty'],
  ['customer', 'email'],
  ['register_sale_products'],
  ['register_sale_products', 0],
  ['register_sale_products', 0, 'id'],
  ['register_sale_products', 0, 'quantity'],
  ['register_sale_products', 0, 'price_total'],
  ['register_sale_products', 0, 'is_return'],
  ['register_sale_products', 0, 'promotions'],
  ['register_sale_payments'],
  ['register_sale_payments', 0, 'amount'],
  ['register_sale_payments', 0, 'payment_type_id'],
  ['register_sale_payments', 0, 'retailer_payment_type'],
] as const;

function withValue(base: unknown, at: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> | undefined = copy;
  for (const key of at.slice(0, -1)) {
    const next = node?.[key];
    if (typeof next !== 'object' || next === null) return copy;
    node = next as Record<string | number, unknown>;
  }
  if (node) node[at[at.length - 1]!] = value;
  return copy;
}

describe('the webhook’s hand check of a sale against xRegisterSaleSchema', () => {
  it('accepts the fixtures zod accepts and the bench’s sales, with the same fields (the fast path is taken)', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const [, json] of fixtures) expect(checkXRegisterSale(json)).toEqual(picked(xRegisterSaleSchema.parse(json)));
    for (const n of [1, 2, 77]) expect(checkXRegisterSale(xRegisterSale(n))).toEqual(picked(xRegisterSaleSchema.parse(xRegisterSale(n))));
    expect(checkXRegisterSale({ ...closed, version: '42', invoice_number: 1042 })).toEqual({
      ...picked(xRegisterSaleSchema.parse(closed)),
      version: 42,
      invoice_number: '1042',
    });
  });

  it('never accepts what zod refuses (one field changed to anything)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), edge, (at, value) => agrees(withValue(closed, at, value))),
      { numRuns: 3_000 },
    );
  });

  it('never accepts what zod refuses (whole documents)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => agrees(json)),
      { numRuns: 1_000 },
    );
  });

  it('refuses, for zod to answer, what it cannot vouch for', () => {
    expect(checkXRegisterSale({ ...closed, version: -1 })).toBeNull();
    expect(checkXRegisterSale({ ...closed, id: '' })).toBeNull();
    expect(checkXRegisterSale({ ...closed, register_sale_products: [{ id: 'l', quantity: '1,5' }] })).toBeNull();
    expect(checkXRegisterSale([closed])).toBeNull();
  });
});
