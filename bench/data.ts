import { createHmac } from 'node:crypto';

/** Synthetic sales in Lightspeed's documented shapes (see test/fixtures/lightspeed), with generated ids. */
export const PRODUCTS = 50;
export const CUSTOMERS = 1_000;
export const X_GROUP = 'group-retail';

const money = (minor: number) => (minor / 100).toFixed(5);

export function xRegisterSale(
  n: number,
  opts: { id?: string; version?: number; status?: string; returnFor?: string; quantity?: number; customer?: number; saleDate?: string } = {},
) {
  const id = opts.id ?? `xs-${n}`;
  const q = opts.quantity ?? 2;
  const p1 = n % PRODUCTS;
  const p2 = (n * 7 + 3) % PRODUCTS;
  const c = opts.customer ?? n % CUSTOMERS;
  const l1 = 1200 * q;
  const l2 = 2540;
  return {
    id,
    register_id: 'reg-1',
    outlet_id: 'outlet-1',
    customer_id: `cust-${c}`,
    invoice_number: String(n),
    status: opts.status ?? 'CLOSED',
    return_for: opts.returnFor ?? null,
    sale_date: opts.saleDate ?? '2026-11-20T17:03:07Z',
    updated_at: '2026-11-20T17:03:09+00:00',
    version: opts.version ?? 1_000_000 + n,
    totals: { total_price: money(l1 + l2), total_tax: '0.00000', total_payment: money(l1 + l2), total_to_pay: '0.00000', total_loyalty: '0.00000' },
    customer: { id: `cust-${c}`, customer_code: `C-${c}`, customer_group_id: X_GROUP, email: `c${c}@example.com`, mobile: '', enable_loyalty: true },
    register_sale_products: [
      {
        id: `${id}-l1`,
        product_id: `prod-${p1}`,
        quantity: q,
        price: '12.00000',
        price_total: money(l1),
        discount: '0.00000',
        tax: '0.00000',
        tax_total: '0.00000',
        loyalty_value: '0.00000',
      },
      {
        id: `${id}-l2`,
        product_id: `prod-${p2}`,
        quantity: 1,
        price: '25.40000',
        price_total: money(l2),
        discount: '0.00000',
        tax: '0.00000',
        tax_total: '0.00000',
        loyalty_value: '0.00000',
      },
    ],
    register_sale_payments: [
      { id: `${id}-p`, amount: (l1 + l2) / 100, payment_type_id: 3, retailer_payment_type: { id: 'rpt-card', name: 'Credit Card', payment_type_id: 3 } },
    ],
  };
}

export function signedForm(secret: string, payload: unknown): { body: string; signature: string } {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return { body, signature: `signature=${createHmac('sha256', secret).update(body).digest('hex')},algorithm=HMAC-SHA256` };
}

/** R-Series `Sale` with its relations loaded, one or two lines, customer `c`, updatetime from `at`. */
export function rSale(n: number, at: Date, opts: { withRelations?: boolean } = {}) {
  const c = n % CUSTOMERS;
  const base = {
    saleID: String(100_000 + n),
    timeStamp: at.toISOString(),
    updatetime: at.toISOString(),
    completeTime: at.toISOString(),
    completed: 'true',
    voided: 'false',
    archived: 'false',
    customerID: String(c + 1),
    shopID: '1',
  };
  if (opts.withRelations === false) return base;
  return {
    ...base,
    SaleLines: {
      SaleLine: [
        {
          saleLineID: String(n * 10 + 1),
          itemID: String(400 + (n % PRODUCTS)),
          unitQuantity: '2',
          unitPrice: '20',
          calcSubtotal: '40',
          calcLineDiscount: '0',
          calcTransactionDiscount: '2.5',
          parentSaleLineID: '0',
          Item: { itemID: String(400 + (n % PRODUCTS)), categoryID: '14' },
        },
        {
          saleLineID: String(n * 10 + 2),
          itemID: '518',
          unitQuantity: '1',
          unitPrice: '40',
          calcSubtotal: '40',
          calcLineDiscount: '0',
          calcTransactionDiscount: '2.5',
          parentSaleLineID: '0',
          Item: { itemID: '518', categoryID: '22' },
        },
      ],
    },
    SalePayments: { SalePayment: { amount: '86.25', archived: 'false', PaymentType: { name: 'Credit Card', type: 'credit card' } } },
    Customer: { customerID: String(c + 1), customerTypeID: '2', Contact: { Emails: { ContactEmail: { address: `r${c}@example.com`, useType: 'Primary' } } } },
  };
}

/** The same sale in the X-Series 2.0 shape the reconciliation poll reads. */
export function xSale20(n: number, opts: { id: string; version: number; status: string; quantity?: number; customer: number }) {
  const q = opts.quantity ?? 2;
  const l1 = 1200 * q;
  const l2 = 2540;
  return {
    id: opts.id,
    version: opts.version,
    status: opts.status,
    outlet_id: 'outlet-1',
    customer_id: `cust-${opts.customer}`,
    sale_date: '2026-11-20T17:03:07Z',
    line_items: [
      { id: `${opts.id}-l1`, product_id: `prod-${n % PRODUCTS}`, quantity: q, price_total: money(l1) },
      { id: `${opts.id}-l2`, product_id: `prod-${(n * 7 + 3) % PRODUCTS}`, quantity: 1, price_total: money(l2) },
    ],
    payments: [{ amount: money(l1 + l2), name: 'Credit Card' }],
  };
}

/** A return of `quantity` units of the original's first line (X-Series: a new sale with return_for). */
export function xReturn(n: number, opts: { id: string; originalId: string; quantity: number; customer: number }) {
  const amount = -1200 * opts.quantity;
  return {
    id: opts.id,
    register_id: 'reg-1',
    outlet_id: 'outlet-1',
    customer_id: `cust-${opts.customer}`,
    status: 'CLOSED',
    return_for: opts.originalId,
    sale_date: '2026-11-22T10:15:00Z',
    version: 1,
    customer: { id: `cust-${opts.customer}`, customer_code: `C-${opts.customer}`, customer_group_id: X_GROUP, email: `c${opts.customer}@example.com` },
    register_sale_products: [
      { id: `${opts.id}-l`, product_id: `prod-${n % PRODUCTS}`, quantity: -opts.quantity, price: '12.00000', price_total: money(amount), is_return: true },
    ],
    register_sale_payments: [{ id: `${opts.id}-p`, amount: amount / 100, retailer_payment_type: { id: 'rpt-card', name: 'Credit Card' } }],
  };
}
