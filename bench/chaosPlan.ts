import { emptyReferenceData } from '../src/lightspeed/refs/types.js';
import { normalizeXSale, xRegisterSaleSchema } from '../src/lightspeed/x/sale10.js';
import { normalizeXSale20, xSale20Schema } from '../src/lightspeed/x/sale20.js';
import { evaluationContextSchema } from '../src/rules/evaluationContext.js';
import type { Decision } from '../src/rules/decision.js';
import { evaluate } from '../src/rules/evaluate.js';
import { rulesSchema, type Rules } from '../src/rules/rules.js';
import type { Sale } from '../src/rules/sale.js';
import { X_GROUP, xRegisterSale, xReturn, xSale20 } from './data.js';

/**
 * The fault drills' sales (bench/chaos.ts): completed, voided after completion, returned twice, returned
 * while pending; each version delivered 1 to 3 times, every 5th in reverse order, 20 % of the completed
 * and voided sales' final versions only reachable by the reconciliation poll (the 2.0 shape). `oracle`
 * is what the ledger must hold: the rules engine applied in memory to each sale's final state, in order.
 */
const NOW = new Date();

export type Kind = 'completed' | 'voided' | 'returned2' | 'pendingReturn';
export interface Delivery {
  merchantId: string;
  payload: Record<string, unknown>;
}
export interface Plan {
  i: number;
  kind: Kind;
  merchantId: string;
  customer: number;
  originalId: string;
  /** The original's versions in the order they are delivered by webhook (duplicates included). */
  deliveries: Delivery[];
  /** The final version, as the worker will see it (1.0 webhook or 2.0 poll shape). */
  final: { shape: '1.0' | '2.0'; payload: Record<string, unknown> };
  returns: Array<Record<string, unknown>>;
}

export const RULES: Record<string, Rules> = {
  'chaos-a': { ...rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), version: 1 },
  'chaos-b': { ...rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' }, delayDays: 30 }), version: 1 },
};

/** A store's rules: those of its kind (`chaos-a-3` is a `chaos-a` store). */
export const rulesFor = (merchantId: string): Rules => RULES[merchantId.replace(/-\d+$/, '')]!;

/** The store ids of `stores` stores per kind: `chaos-a` and `chaos-b` for one, else `chaos-a-0`, … */
export const storeIds = (stores: number): string[] =>
  stores <= 1 ? Object.keys(RULES) : Object.keys(RULES).flatMap((base) => Array.from({ length: stores }, (_, n) => `${base}-${n}`));

/**
 * Sale `i` of the plan. With `stores` > 1 the sales are spread over that many stores of each kind (the
 * soak: a real store rings a few sales a second, not 50, and Lightspeed's limits are per store).
 */
export function plan(i: number, stores = 1): Plan {
  const kinds: Kind[] = ['completed', 'voided', 'returned2', 'pendingReturn'];
  const kind = kinds[i % 4]!;
  const base = kind === 'pendingReturn' ? 'chaos-b' : 'chaos-a';
  // Blocks of 20 consecutive sales per store: each holds 2 completed or voided sales whose last webhook is
  // dropped (i % 10 < 2 with i % 4 < 2, found by the poll), so every store polls its share. By blocks of 4
  // they all fell on 2 of the 20 stores, by blocks of 10 on the even ones: their Lightspeed budget ran out
  // (the 2026-12-07 soaks).
  const merchantId = stores <= 1 ? base : `${base}-${Math.floor(i / 20) % stores}`;
  const customer = i % 200;
  const originalId = `o-${i}`;
  const open = xRegisterSale(i, { id: originalId, version: 10 * i + 1, status: 'OPEN', customer });
  const closed = xRegisterSale(i, { id: originalId, version: 10 * i + 2, status: 'CLOSED', customer });
  const voided = xRegisterSale(i, { id: originalId, version: 10 * i + 3, status: 'VOIDED', customer });
  const versions: Record<string, unknown>[] = kind === 'voided' ? [open, closed, voided] : [open, closed];
  // Every 10th completed or voided sale loses its last webhook: only the reconciliation poll finds it.
  const dropped = (kind === 'completed' || kind === 'voided') && i % 10 < 2;
  const delivered = dropped ? versions.slice(0, -1) : versions;
  const ordered = i % 5 === 0 ? [...delivered].reverse() : delivered;
  const copies = 1 + (i % 3);
  const deliveries = ordered.flatMap((payload) => Array.from({ length: copies }, () => ({ merchantId, payload })));
  const last = versions[versions.length - 1]!;
  const final = dropped
    ? { shape: '2.0' as const, payload: xSale20(i, { id: originalId, version: Number(last.version), status: String(last.status), customer }) }
    : { shape: '1.0' as const, payload: last };
  const returns =
    kind === 'returned2'
      ? [xReturn(i, { id: `r1-${i}`, originalId, quantity: 1, customer }), xReturn(i, { id: `r2-${i}`, originalId, quantity: 1, customer })]
      : kind === 'pendingReturn'
        ? [xReturn(i, { id: `r1-${i}`, originalId, quantity: 1, customer })]
        : [];
  return { i, kind, merchantId, customer, originalId, deliveries, final, returns };
}

/** What the ledger must hold per sale: the engine on each final state, originals before their returns. */
export type Expected = Map<string, { merchantId: string; customer: string; points: number }>;

export function oracle(plans: Plan[], createdAt: Date | ((merchantId: string) => Date)): Expected {
  const createdOf = typeof createdAt === 'function' ? createdAt : () => createdAt;
  const refs = emptyReferenceData();
  const expected: Expected = new Map();
  for (const p of plans) {
    const context = (extra: Record<string, unknown> = {}) =>
      evaluationContextSchema.parse({
        now: NOW.toISOString(),
        timezone: 'America/Montreal',
        merchantCreatedAt: createdOf(p.merchantId).toISOString(),
        ...extra,
      });
    const rules = rulesFor(p.merchantId);
    const sale: Sale =
      p.final.shape === '1.0'
        ? normalizeXSale(p.merchantId, xRegisterSaleSchema.parse(p.final.payload), refs)
        : normalizeXSale20(
            p.merchantId,
            xSale20Schema.parse(p.final.payload),
            {
              id: `cust-${p.customer}`,
              customer_code: `CUST-${p.customer}`,
              customer_group_id: X_GROUP,
              email: `cust-${p.customer}@example.com`,
              enable_loyalty: true,
            },
            refs,
          );
    const original: Decision = evaluate(sale, rules, context());
    expected.set(`${p.merchantId}/${p.originalId}`, { merchantId: p.merchantId, customer: `cust-${p.customer}`, points: original.points });
    let total = 0;
    const byLine: Record<string, { quantity: number; points: number }> = {};
    for (const r of p.returns) {
      const ret = normalizeXSale(p.merchantId, xRegisterSaleSchema.parse(r), refs);
      const d = evaluate(ret, rules, context({ original: { saleId: p.originalId, decision: original, reversed: { total, byLine } } }));
      for (const line of d.lines) {
        if (!line.refundsLineId) continue;
        const prior = byLine[line.refundsLineId] ?? { quantity: 0, points: 0 };
        byLine[line.refundsLineId] = { quantity: prior.quantity + Math.abs(line.quantity), points: prior.points - line.points };
        total -= line.points;
      }
      expected.set(`${p.merchantId}/${String(r.id)}`, { merchantId: p.merchantId, customer: `cust-${p.customer}`, points: d.points });
    }
  }
  return expected;
}
