import type { Sale } from '../rules/sale.js';
import { lineMatches, offersForSale, type Catalog } from './catalog.js';

export interface Punch {
  lineId: string;
  offerId: number;
  /** Positive for a purchase, negative for a return. */
  units: number;
  unitPrice: number;
}

export interface RedemptionCandidate {
  /** `<lineId>` or `<lineId>#<n>` when one line gives several free items. */
  key: string;
  lineId: string;
  offerId: number;
  freeItemPrice: number;
}

const sameDiscount = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * What a sale does to punch cards: qualifying units per line and offer, and the lines that redeem a
 * free item. Pure. Only completed sales count (a void or a sale back to open counts nothing, so
 * applying it replaces what an earlier version counted with nothing). A line counts when it was paid
 * for (quantity and net of the same sign: a purchase, or the return of one); a line rung up at zero
 * with the merchant's redemption discount is a redemption, one per unit.
 */
export function frequentBuyerLines(sale: Sale, catalog: Catalog): { punches: Punch[]; redemptions: RedemptionCandidate[] } {
  const punches: Punch[] = [];
  const redemptions: RedemptionCandidate[] = [];
  if (sale.state !== 'completed') return { punches, redemptions };
  const offers = offersForSale(sale, catalog);
  if (!offers.length) return { punches, redemptions };
  for (const line of sale.lines) {
    const units = Math.trunc(line.quantity);
    if (units === 0) continue;
    for (const offer of offers) {
      if (!lineMatches(offer, line.productCodes)) continue;
      const isRedemption =
        units > 0 && line.net === 0 && !!line.discountRef && catalog.redemptionDiscount !== null && sameDiscount(line.discountRef, catalog.redemptionDiscount);
      if (isRedemption) {
        const freeItemPrice = line.unitPrice ?? 0;
        for (let n = 1; n <= units; n += 1)
          redemptions.push({ key: units === 1 ? line.lineId : `${line.lineId}#${n}`, lineId: line.lineId, offerId: offer.id, freeItemPrice });
      } else if (Math.sign(line.net) === Math.sign(units)) {
        punches.push({ lineId: line.lineId, offerId: offer.id, units, unitPrice: line.unitPrice ?? Math.round(Math.abs(line.net) / Math.abs(units)) });
      }
    }
  }
  return { punches, redemptions };
}
