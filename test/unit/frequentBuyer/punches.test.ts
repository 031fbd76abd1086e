import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/frequentBuyer/catalog.js';
import { frequentBuyerLines } from '../../../src/frequentBuyer/punches.js';
import { decideRedemption } from '../../../src/frequentBuyer/redemption.js';
import type { Sale, SaleLine } from '../../../src/rules/sale.js';
import { line as baseLine, sale as baseSale } from '../rules/builders.js';

const KIBBLE = '064992523107';
const catalog: Catalog = {
  timezone: 'America/Montreal',
  offers: [
    {
      id: 7,
      name: 'Buy 3 bags, get 1 free',
      purchasesRequired: 3,
      freeItemRule: 'least_value',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      codes: [KIBBLE],
      enrolledShops: ['1'],
    },
  ],
  redemptionDiscount: '12',
};
// The rules' builders, with a bag of kibble on the line and no payments (punches do not look at them).
const line = (over: Partial<SaleLine>): SaleLine => baseLine({ productId: '412', net: 5499, productCodes: [KIBBLE], unitPrice: 5499, ...over });
const sale = (lines: SaleLine[], over: Partial<Sale> = {}): Sale =>
  baseSale({ customer: { id: 'c1', segmentId: null, exempt: false }, payments: [], lines, ...over });

describe('frequent-buyer lines of a sale', () => {
  it('counts paid qualifying units, negative on a return line, and nothing for other products', () => {
    const result = frequentBuyerLines(
      sale([line({ quantity: 2, net: 10998 }), line({ lineId: 'l2', productCodes: ['999'] }), line({ lineId: 'l3', quantity: -1, net: -5499 })]),
      catalog,
    );
    expect(result.punches).toEqual([
      { lineId: 'l1', offerId: 7, units: 2, unitPrice: 5499 },
      { lineId: 'l3', offerId: 7, units: -1, unitPrice: 5499 },
    ]);
    expect(result.redemptions).toEqual([]);
  });

  it('a line at zero with the redemption discount (case and spaces aside) is a redemption per unit, not a purchase', () => {
    const result = frequentBuyerLines(sale([line({ quantity: 2, net: 0, discountRef: ' 12 ' })]), catalog);
    expect(result.punches).toEqual([]);
    expect(result.redemptions).toEqual([
      { key: 'l1#1', lineId: 'l1', offerId: 7, freeItemPrice: 5499 },
      { key: 'l1#2', lineId: 'l1', offerId: 7, freeItemPrice: 5499 },
    ]);
  });

  it('a line at zero with another discount is neither a purchase nor a redemption', () => {
    expect(frequentBuyerLines(sale([line({ net: 0, discountRef: '99' })]), catalog)).toEqual({ punches: [], redemptions: [] });
  });

  it('counts nothing for a voided or open sale, a location not enrolled, or a date outside the offer', () => {
    const empty = { punches: [], redemptions: [] };
    expect(frequentBuyerLines(sale([line({})], { state: 'voided' }), catalog)).toEqual(empty);
    expect(frequentBuyerLines(sale([line({})], { state: 'open', completedAt: null }), catalog)).toEqual(empty);
    expect(frequentBuyerLines(sale([line({})], { shopId: '2' }), catalog)).toEqual(empty);
    expect(frequentBuyerLines(sale([line({})], { completedAt: '2027-01-01T05:00:00.000Z' }), catalog)).toEqual(empty);
  });

  it("reads the offer's dates as the merchant's calendar days: 21:00 in Montréal on Dec 31 is still in a 2026 offer", () => {
    expect(frequentBuyerLines(sale([line({})], { completedAt: '2027-01-01T02:00:00.000Z' }), catalog).punches).toHaveLength(1);
  });
});

describe('redemption verdict', () => {
  const offer = { name: 'Buy 3 bags, get 1 free', purchasesRequired: 3, freeItemRule: 'least_value' as const };
  it('rejects an incomplete card, saying how far it is', () => {
    expect(decideRedemption({ customerId: 'c1', enrolled: true, offer, card: { available: 2, purchasePrices: [5499, 5499] }, freeItemPrice: 5499 })).toEqual({
      status: 'rejected',
      code: 'CARD_INCOMPLETE',
      reason: "the card has 2 of the 3 purchases offer 'Buy 3 bags, get 1 free' requires",
    });
  });

  it('least_value: the free item may cost no more than the cheapest purchase; lesser_or_equal_value: the dearest', () => {
    const card = { available: 3, purchasePrices: [4999, 5499, 6499] };
    expect(decideRedemption({ customerId: 'c1', enrolled: true, offer, card, freeItemPrice: 4999 })).toEqual({ status: 'accepted', punchesUsed: 3 });
    expect(decideRedemption({ customerId: 'c1', enrolled: true, offer, card, freeItemPrice: 5000 })).toMatchObject({
      status: 'rejected',
      code: 'FREE_ITEM_RULE',
      reason: 'the free item (50.00) is worth more than the least valuable purchase on the card (49.99)',
    });
    const lenient = { ...offer, freeItemRule: 'lesser_or_equal_value' as const };
    expect(decideRedemption({ customerId: 'c1', enrolled: true, offer: lenient, card, freeItemPrice: 6499 })).toEqual({ status: 'accepted', punchesUsed: 3 });
    expect(decideRedemption({ customerId: 'c1', enrolled: true, offer: lenient, card, freeItemPrice: 6500 })).toMatchObject({ code: 'FREE_ITEM_RULE' });
  });

  it('rejects a sale without a customer and a location not enrolled', () => {
    const card = { available: 9, purchasePrices: [1] };
    expect(decideRedemption({ customerId: null, enrolled: true, offer, card, freeItemPrice: 1 })).toMatchObject({ code: 'NO_CUSTOMER' });
    expect(decideRedemption({ customerId: 'c1', enrolled: false, offer, card, freeItemPrice: 1 })).toMatchObject({ code: 'NOT_ENROLLED' });
  });
});
