import { formatMinor } from '../rules/formatMinor.js';
import type { FreeItemRule } from './catalog.js';

export type RedemptionVerdict =
  | { status: 'accepted'; punchesUsed: number }
  | { status: 'rejected'; code: 'NO_CUSTOMER' | 'CARD_INCOMPLETE' | 'FREE_ITEM_RULE' | 'NOT_ENROLLED'; reason: string };

export interface CardState {
  /** Qualifying units bought, net of returns, not yet used by a redemption. */
  available: number;
  /** Unit prices of the purchases the redemption would use, oldest first. */
  purchasePrices: number[];
}

/**
 * Whether a free item may be redeemed against a card. Pure. `least_value`: the free item may cost no
 * more than the cheapest purchase it uses; `lesser_or_equal_value`: no more than the dearest one.
 */
export function decideRedemption(input: {
  customerId: string | null;
  enrolled: boolean;
  offer: { name: string; purchasesRequired: number; freeItemRule: FreeItemRule };
  card: CardState;
  freeItemPrice: number;
}): RedemptionVerdict {
  const { offer, card } = input;
  if (!input.customerId) return { status: 'rejected', code: 'NO_CUSTOMER', reason: 'the sale has no customer, so there is no card to redeem' };
  if (!input.enrolled) return { status: 'rejected', code: 'NOT_ENROLLED', reason: `the location is not enrolled in offer '${offer.name}'` };
  if (card.available < offer.purchasesRequired) {
    return {
      status: 'rejected',
      code: 'CARD_INCOMPLETE',
      reason: `the card has ${Math.max(0, card.available)} of the ${offer.purchasesRequired} purchases offer '${offer.name}' requires`,
    };
  }
  const prices = card.purchasePrices;
  if (prices.length) {
    const limit = offer.freeItemRule === 'least_value' ? Math.min(...prices) : Math.max(...prices);
    if (input.freeItemPrice > limit) {
      const which = offer.freeItemRule === 'least_value' ? 'the least valuable' : 'the most valuable';
      return {
        status: 'rejected',
        code: 'FREE_ITEM_RULE',
        reason: `the free item (${formatMinor(input.freeItemPrice)}) is worth more than ${which} purchase on the card (${formatMinor(limit)})`,
      };
    }
  }
  return { status: 'accepted', punchesUsed: offer.purchasesRequired };
}
