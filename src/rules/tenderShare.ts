import type { PaymentKind, Sale } from './sale.js';

export interface TenderShare {
  /** What each excluded kind paid (its payments netted, only kinds that paid more than they gave back). */
  excluded: Partial<Record<PaymentKind, number>>;
  excludedTotal: number;
  /** What the customer paid: every kind's positive net, plus the credit of goods returned in the same sale. */
  paid: number;
}

/**
 * The share of a sale paid by tenders that do not earn. Payments include tax and lines do not, so the
 * tax-inclusive amount cannot be taken off the pre-tax base: the share (excluded ÷ paid) is applied to
 * it instead. Payments are netted per kind first (cash 50 with 10 change is 40 paid; a negative gift
 * card payment that loads a card sold in the sale is not a payment by gift card). In an exchange the
 * returned goods pay for part of the new ones: their pre-tax credit counts as paid by a tender that earns.
 */
export function tenderShare(payments: Sale['payments'], excludedKinds: readonly PaymentKind[], returnedCredit: number): TenderShare {
  const byKind = new Map<PaymentKind, number>();
  for (const p of payments) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + p.amount);
  const excluded: Partial<Record<PaymentKind, number>> = {};
  let excludedTotal = 0;
  let paid = Math.max(0, returnedCredit);
  for (const [kind, amount] of byKind) {
    if (amount <= 0) continue;
    paid += amount;
    if (excludedKinds.includes(kind)) {
      excluded[kind] = amount;
      excludedTotal += amount;
    }
  }
  return { excluded, excludedTotal, paid };
}

/** `amount × numerator ÷ denominator`, rounded half up, in integers (BigInt: the product may pass 2^53). */
export function mulDivRound(amount: number, numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  const product = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  const q = product / d;
  return Number(2n * (product % d) >= d ? q + 1n : q);
}

/** The part of `base` the excluded tenders paid for: base × excluded ÷ paid (never more than base). */
export function excludedPart(base: number, share: TenderShare): number {
  if (share.excludedTotal <= 0 || share.paid <= 0 || base <= 0) return 0;
  return Math.min(base, mulDivRound(base, share.excludedTotal, share.paid));
}

/** The share as basis points (49.99 % = 4999), for messages: integer arithmetic, rounded half up. */
export const shareBasisPoints = (share: TenderShare): number => (share.paid > 0 ? mulDivRound(10_000, share.excludedTotal, share.paid) : 0);

/** Basis points as "49.99 %". */
export function formatShare(basisPoints: number): string {
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')} %`;
}
