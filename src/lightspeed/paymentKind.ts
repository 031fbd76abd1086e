import type { PaymentKind } from '../rules/sale.js';

/**
 * Payment kinds from a payment type's configured type or its name, never from a numeric id (X-Series
 * ids are not unique across retailers). R-Series `type`: cash, credit card, gift card, credit account,
 * user defined.
 */
export function paymentKindFrom(type: string | null | undefined, name: string | null | undefined): PaymentKind {
  switch ((type ?? '').toLowerCase()) {
    case 'cash':
      return 'cash';
    case 'credit card':
    case 'debit card':
      return 'card';
    case 'gift card':
      return 'gift_card';
    case 'credit account':
      return 'store_credit';
  }
  const label = (name ?? '').toLowerCase();
  if (/gift/.test(label)) return 'gift_card';
  if (/store credit|credit note|voucher/.test(label)) return 'store_credit';
  if (/loyal|points|reward/.test(label)) return 'loyalty';
  if (/on account|account/.test(label)) return 'on_account';
  if (/cash/.test(label)) return 'cash';
  if (/card|visa|master|amex|debit|credit|eftpos|interac/.test(label)) return 'card';
  return 'other';
}
