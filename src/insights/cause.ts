import type { Decision } from '../rules/decision.js';
import type { ReasonCode } from '../rules/reasons.js';

/**
 * What one sale is counted as on the Insights page: how it earned, or the one cause that kept it from
 * earning. Reason codes where one names the cause (so the console names them as on the sale page), plus
 * RETURN (a return sale) and NO_ELIGIBLE_AMOUNT (nothing to earn on, e.g. a zero total).
 */
export const causes = [
  'CREDITED',
  'PENDING_UNTIL',
  'NO_CUSTOMER',
  'CUSTOMER_EXEMPT',
  'CUSTOMER_SEGMENT_EXCLUDED',
  'MISSING_IDENTITY',
  'BEFORE_START_DATE',
  'AWAITING_REWARDS_BUTTON',
  'RETURN_REVERSED',
  'LINE_PRODUCT_EXEMPT',
  'LINE_CATEGORY_EXEMPT',
  'LINE_GIFT_CARD',
  'TENDER_EXCLUDED',
  'BELOW_STEP',
  'NO_ELIGIBLE_AMOUNT',
  'RETURN',
  'SALE_VOIDED',
  'SALE_NOT_COMPLETED',
] as const;
export type Cause = (typeof causes)[number];

/** Causes of a completed sale that earned nothing: the "why not" chart. */
export const whyNotCauses: readonly Cause[] = causes.filter((c) => !['CREDITED', 'PENDING_UNTIL', 'RETURN', 'SALE_VOIDED', 'SALE_NOT_COMPLETED'].includes(c));
/** Sales the rates count: completed, not a return, not voided. */
export const countedCauses: readonly Cause[] = causes.filter((c) => !['RETURN', 'SALE_VOIDED', 'SALE_NOT_COMPLETED'].includes(c));

/** The gates the rules check first, in the order a person would fix them. */
const gates: ReasonCode[] = [
  'NO_CUSTOMER',
  'CUSTOMER_EXEMPT',
  'CUSTOMER_SEGMENT_EXCLUDED',
  'MISSING_IDENTITY',
  'BEFORE_START_DATE',
  'AWAITING_REWARDS_BUTTON',
  'RETURN_REVERSED',
];

/** The cause of a decision (pure; the rebuild and the upkeep both use it, so they agree). */
export function causeOf(d: Decision): Cause {
  const codes = new Set(d.reasons.map((r) => r.code));
  if (codes.has('SALE_NOT_COMPLETED')) return 'SALE_NOT_COMPLETED';
  if (codes.has('SALE_VOIDED') || codes.has('VOID_REVERSED')) return 'SALE_VOIDED';
  if (d.returnFor !== null || d.status === 'reversed' || (d.lines.length > 0 && d.lines.every((l) => l.exemptBy === 'refund'))) return 'RETURN';
  if (d.status === 'credited') return 'CREDITED';
  if (d.status === 'pending') return 'PENDING_UNTIL';
  for (const gate of gates) if (codes.has(gate)) return gate as Cause;
  if (d.base === 0) {
    // Nothing eligible: the exemption that took the most of the sale's amount, else the tenders.
    const exempt = new Map<string, number>();
    for (const line of d.lines)
      if (line.exemptBy && line.exemptBy !== 'refund') exempt.set(line.exemptBy, (exempt.get(line.exemptBy) ?? 0) + Math.abs(line.net));
    const top = [...exempt.entries()].sort((a, b) => b[1] - a[1])[0];
    if (top && !d.lines.some((l) => l.eligible > 0))
      return top[0] === 'product' ? 'LINE_PRODUCT_EXEMPT' : top[0] === 'category' ? 'LINE_CATEGORY_EXEMPT' : 'LINE_GIFT_CARD';
    if (codes.has('TENDER_EXCLUDED')) return 'TENDER_EXCLUDED';
  }
  if (codes.has('BELOW_STEP')) return 'BELOW_STEP';
  if (codes.has('TENDER_EXCLUDED')) return 'TENDER_EXCLUDED';
  return 'NO_ELIGIBLE_AMOUNT';
}

/** Where a sale was rung: the rollup's dimensions ('' when Lightspeed did not say). */
export interface SalePlace {
  outletId: string;
  registerId: string;
  cashierId: string;
}

/** One sale's contribution to the rollups, as the decision that applied last says. */
export interface SaleFact extends SalePlace {
  merchantId: string;
  saleId: string;
  decisionId: number;
  completedAt: string | null;
  cause: Cause;
  hasCustomer: boolean;
  /** Points the sale earned (credited or pending), ≥ 0. */
  points: number;
  /** Of those, pending when decided. */
  pending: number;
  /** Points this sale took back (a return or a void), ≥ 0. */
  reversed: number;
  /** Points its product and category exemptions kept from the customer, per exemption (only those above 0). */
  withheld: WithheldPoints[];
}

/** What one exemption (a product or category id of the rules) kept from one sale's customer. */
export interface WithheldPoints {
  kind: 'product' | 'category';
  exemptId: string;
  points: number;
}

/** The points a decision's exempt lines would have earned, summed per exemption (pure). */
export function withheldOf(d: Decision): WithheldPoints[] {
  const by = new Map<string, WithheldPoints>();
  for (const line of d.lines) {
    if ((line.exemptBy !== 'product' && line.exemptBy !== 'category') || !line.exemptId || !line.withheldPoints) continue;
    const key = `${line.exemptBy}:${line.exemptId}`;
    const w = by.get(key) ?? { kind: line.exemptBy, exemptId: line.exemptId, points: 0 };
    w.points += line.withheldPoints;
    by.set(key, w);
  }
  return [...by.values()];
}

/** The fact of one applied decision (pure). */
export function saleFact(merchantId: string, decisionId: number, d: Decision, completedAt: string | null, place: SalePlace): SaleFact {
  const cause = causeOf(d);
  const voidReversed = d.reasons.find((r) => r.code === 'VOID_REVERSED')?.data.points;
  const reversed = d.points < 0 ? -d.points : typeof voidReversed === 'number' ? Math.abs(voidReversed) : 0;
  const earning = d.status === 'credited' || d.status === 'pending';
  return {
    merchantId,
    saleId: d.saleId,
    decisionId,
    completedAt,
    ...place,
    cause,
    hasCustomer: d.customerId !== null,
    points: earning ? Math.max(0, d.points) : 0,
    pending: d.status === 'pending' ? Math.max(0, d.points) : 0,
    reversed,
    withheld: withheldOf(d),
  };
}
