import type { Sale } from '../rules/sale.js';
import { localDate } from '../rules/time.js';

export type FreeItemRule = 'lesser_or_equal_value' | 'least_value';

/** An offer as one merchant runs it: the product codes it names and the shops enrolled in it. */
export interface CatalogOffer {
  id: number;
  name: string;
  purchasesRequired: number;
  freeItemRule: FreeItemRule;
  startsOn: string;
  endsOn: string | null;
  codes: string[];
  enrolledShops: string[];
}

export interface Catalog {
  /** Offer dates are the merchant's calendar days. */
  timezone: string;
  offers: CatalogOffer[];
  /** The discount that rings up a free item at zero: R `discountID`, X promotion or discount name. */
  redemptionDiscount: string | null;
}

/**
 * Offers a sale counts for: running on the sale's date and enrolled at its location. A sale with no
 * location (rare) counts for offers enrolled at any of the merchant's locations.
 */
export function offersForSale(sale: Pick<Sale, 'completedAt' | 'shopId'>, catalog: Catalog): CatalogOffer[] {
  if (!sale.completedAt) return [];
  const day = localDate(sale.completedAt, catalog.timezone);
  return catalog.offers.filter(
    (o) =>
      o.startsOn <= day &&
      (o.endsOn === null || day <= o.endsOn) &&
      (sale.shopId === null ? o.enrolledShops.length > 0 : o.enrolledShops.includes(sale.shopId)),
  );
}

/** Whether a line's product is one the offer names (by UPC, EAN or SKU). */
export function lineMatches(offer: Pick<CatalogOffer, 'codes'>, productCodes: string[] | undefined): boolean {
  return !!productCodes?.some((code) => offer.codes.includes(code));
}
