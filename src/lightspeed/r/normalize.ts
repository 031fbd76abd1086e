import type { Sale } from '../../rules/sale.js';
import { preciseToMinor } from '../../rules/precise.js';
import { toMinor, toPrecise, toQuantity } from '../money.js';
import { paymentKindFrom } from '../paymentKind.js';
import { personName } from '../personName.js';
import { categoryPath, type ReferenceData } from '../refs/types.js';
import { rChangeTime, UNREADABLE_CHANGE_TIME } from './changeTime.js';
import type { RSale } from './schemas.js';

const isTrue = (v: string | null | undefined) => v === 'true' || v === '1';
/** At the payload's precision: a line's parts are subtracted, then rounded once (by the engine's sum). */
const precise = (v: string | null | undefined) => (v ? toPrecise(v) : 0);
const id = (v: string | null | undefined) => (v && v !== '0' ? v : null);
const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);

type RLine = NonNullable<Exclude<RSale['SaleLines'], ''>>['SaleLine'][number];

/** What frequent-buyer offers match on: the item's codes, its regular price, the line's discount. */
function productFacts(line: RLine) {
  const item = line.Item;
  const codes = item ? [item.upc, item.ean, item.systemSku, item.customSku, item.manufacturerSku].filter((c): c is string => !!c && c !== '0') : [];
  const regular = line.normalUnitPrice ?? line.unitPrice;
  return {
    ...(codes.length ? { productCodes: codes } : {}),
    ...(regular ? { unitPrice: toMinor(regular) } : {}),
    ...(id(line.discountID) ? { discountRef: line.discountID! } : {}),
  };
}

/**
 * R-Series `Sale` (with lines, items, payments, customer and contact loaded) → the canonical Sale.
 * Line net before tax = calcSubtotal − calcLineDiscount − calcTransactionDiscount.
 */
export function normalizeRSale(merchantId: string, raw: RSale, refs: ReferenceData): Sale {
  const lines = raw.SaleLines ? raw.SaleLines.SaleLine : [];
  const payments = (raw.SalePayments ? raw.SalePayments.SalePayment : []).filter((p) => !isTrue(p.archived));
  // Selling a gift card shows as a misc line (itemID 0) with a negative gift card payment loading the card.
  const loadsGiftCard = payments.some((p) => paymentKindFrom(p.PaymentType?.type, p.PaymentType?.name) === 'gift_card' && toMinor(p.amount) < 0);

  const version = rChangeTime(raw);
  if (!Number.isFinite(version)) throw new Error(`R-Series sale ${raw.saleID}: ${UNREADABLE_CHANGE_TIME}`);

  const customer = raw.Customer && id(raw.customerID ?? raw.Customer.customerID) ? raw.Customer : null;
  const contact = customer?.Contact || null;
  const emails = contact && contact.Emails ? contact.Emails.ContactEmail : [];
  const phones = contact && contact.Phones ? contact.Phones.ContactPhone : [];
  const mobile = phones.find((p) => (p.useType ?? '').toLowerCase() === 'mobile')?.number;

  return {
    merchantId,
    series: 'r',
    saleId: raw.saleID,
    version,
    state: isTrue(raw.voided) ? 'voided' : isTrue(raw.completed) ? 'completed' : 'open',
    completedAt: iso(raw.completeTime),
    shopId: id(raw.shopID),
    registerId: id(raw.registerID),
    cashierId: id(raw.employeeID),
    ...(customer
      ? {
          customer: {
            id: customer.customerID,
            segmentId: id(customer.customerTypeID),
            ...(emails[0]?.address ? { email: emails[0].address } : {}),
            ...(mobile ? { mobile } : {}),
            ...personName(customer.firstName, customer.lastName),
            // R-Series has no built-in loyalty opt-out on a customer; exclusion goes by customer type.
            exempt: false,
          },
        }
      : {}),
    lines: lines.map((line) => {
      const productId = id(line.itemID);
      const note = line.Note?.note ?? '';
      const netPrecise = precise(line.calcSubtotal) - precise(line.calcLineDiscount) - precise(line.calcTransactionDiscount);
      return {
        lineId: line.saleLineID,
        productId,
        categoryPath: categoryPath(refs.categories, line.Item?.categoryID),
        quantity: toQuantity(line.unitQuantity),
        net: preciseToMinor(netPrecise),
        netPrecise,
        isGiftCard: productId === null && (loadsGiftCard || /gift card/i.test(note)),
        ...(id(line.parentSaleLineID) ? { refundsLineId: line.parentSaleLineID! } : {}),
        ...productFacts(line),
      };
    }),
    payments: payments.map((p) => ({ kind: paymentKindFrom(p.PaymentType?.type, p.PaymentType?.name), amount: toMinor(p.amount) })),
  };
}
