import type { XRegisterSale } from './sale10.js';

/** What the webhook takes from a sale: its identity, its receipt and where it was rung up. */
export type XSaleEnvelope = Pick<XRegisterSale, 'id' | 'version' | 'invoice_number' | 'outlet_id' | 'register_id'>;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: Json) => v === undefined || v === null || typeof v === 'string';
const finite = (v: Json) => typeof v === 'number' && Number.isFinite(v);
/** money.ts's decimalSchema, without its trim: text with spaces around goes to zod, which decides. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)$/;
const decimal = (v: Json) => finite(v) || (typeof v === 'string' && DECIMAL.test(v));
const nullishDecimal = (v: Json) => v === undefined || v === null || decimal(v);
const numberOrText = (v: Json) => v === undefined || v === null || typeof v === 'string' || finite(v);
const id = (v: Json): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 200;
const LOYALTY = new Set<Json>([true, false, 'true', 'false', 0, 1, null, undefined]);

const CUSTOMER_TEXT = ['id', 'customer_code', 'customer_group_id', 'email', 'mobile', 'phone'] as const;
const customerOk = (c: Json) => c === undefined || c === null || (isObject(c) && CUSTOMER_TEXT.every((k) => text(c[k])) && LOYALTY.has(c.enable_loyalty));

const promotionsOk = (p: Json) => p === undefined || p === null || (Array.isArray(p) && p.every((x) => isObject(x) && text(x.id) && text(x.name)));

const lineOk = (l: Json) =>
  isObject(l) &&
  id(l.id) &&
  text(l.product_id) &&
  decimal(l.quantity) &&
  nullishDecimal(l.price) &&
  nullishDecimal(l.price_total) &&
  nullishDecimal(l.discount) &&
  nullishDecimal(l.tax_total) &&
  text(l.gift_card_number) &&
  (l.is_return === undefined || l.is_return === null || typeof l.is_return === 'boolean') &&
  promotionsOk(l.promotions);

const paymentOk = (p: Json) =>
  isObject(p) &&
  text(p.id) &&
  decimal(p.amount) &&
  numberOrText(p.payment_type_id) &&
  (p.retailer_payment_type === undefined ||
    p.retailer_payment_type === null ||
    (isObject(p.retailer_payment_type) &&
      text(p.retailer_payment_type.id) &&
      text(p.retailer_payment_type.name) &&
      numberOrText(p.retailer_payment_type.payment_type_id)));

const VERSION_DIGITS = /^\d+$/;
const TEXT_FIELDS = ['status', 'state', 'outlet_id', 'register_id', 'user_id', 'customer_id', 'return_for', 'sale_date', 'created_at', 'updated_at'] as const;

/**
 * The webhook's check of a parsed payload, by hand: what `xRegisterSaleSchema` (sale10.ts) accepts, field
 * for field, without building its copy of the whole sale. zod's parse of every delivery (loose objects
 * copied, a regex per decimal, the issues machinery) was a share of the webhook's CPU and garbage (issue
 * 29); the worker still parses with zod. It answers only when sure: a payload it does not accept gets
 * null, and the route asks zod, whose answer (and whose 400 naming the field) stands. So it may be
 * stricter than the schema, never looser (test/unit/lightspeed/saleCheck.test.ts compares the two).
 */
export function checkXRegisterSale(json: Json): XSaleEnvelope | null {
  if (!isObject(json) || !id(json.id)) return null;
  const raw = json.version;
  const version = typeof raw === 'number' ? raw : typeof raw === 'string' && VERSION_DIGITS.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(version) || version < 0) return null;
  for (const field of TEXT_FIELDS) if (!text(json[field])) return null;
  const invoice = json.invoice_number;
  if (!(invoice === undefined || invoice === null || typeof invoice === 'string' || finite(invoice))) return null;
  if (!customerOk(json.customer)) return null;
  const lines = json.register_sale_products;
  if (lines !== undefined && !(Array.isArray(lines) && lines.every(lineOk))) return null;
  const payments = json.register_sale_payments;
  if (payments !== undefined && !(Array.isArray(payments) && payments.every(paymentOk))) return null;
  return {
    id: json.id,
    version,
    invoice_number: typeof invoice === 'number' ? String(invoice) : (invoice as string | null | undefined),
    outlet_id: json.outlet_id as string | null | undefined,
    register_id: json.register_id as string | null | undefined,
  };
}
