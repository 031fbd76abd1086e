import { fixture } from './context.js';

/**
 * Sale payloads for the ledger's edge cases, as each series sends them: X-Series `register_sale`
 * (webhook), R-Series `Sale` (poll). Amounts are whole dollars: 1 point per 1.00 makes points readable.
 */
type Json = Record<string, unknown>;

export const ANN = 'cust-ann';
export const BOB = 'cust-bob';

const closed = fixture<Json>('lightspeed/x/sale-closed.json');

export interface XSale {
  id: string;
  version: number;
  date: string;
  customer?: string | null;
  returnFor?: string;
  /** [line id, product id, quantity, price_total] */
  lines: Array<[string, string, number, string]>;
}
export function xSale(s: XSale): Json {
  const customer = s.customer === undefined ? ANN : s.customer;
  const total = s.lines.reduce((sum, l) => sum + Number(l[3]), 0).toFixed(5);
  return {
    ...structuredClone(closed),
    id: s.id,
    version: s.version,
    invoice_number: s.id,
    sale_date: s.date,
    return_for: s.returnFor ?? null,
    customer_id: customer,
    customer: customer ? { id: customer, customer_code: customer, email: `${customer}@example.com`, mobile: '', enable_loyalty: true } : null,
    taxes: [],
    totals: { total_price: total, total_tax: '0.00000', total_payment: total, total_to_pay: '0.00000', total_loyalty: '0.00000' },
    register_sale_products: s.lines.map(([lineId, productId, quantity, priceTotal]) => ({
      id: lineId,
      product_id: productId,
      quantity,
      price: String(Math.abs(Number(priceTotal) / quantity)),
      price_total: priceTotal,
      discount: '0.00000',
      tax: '0.00000',
      tax_total: '0.00000',
      ...(quantity < 0 ? { is_return: true } : {}),
    })),
    register_sale_payments: [
      { id: `pay-${s.id}`, amount: Number(total), payment_type_id: 3, retailer_payment_type: { id: 'card', name: 'Credit Card', payment_type_id: 3 } },
    ],
  };
}

export interface RSale {
  id: string;
  time: string;
  customer?: string;
  /** [line id, item id, quantity, subtotal, refunded line id] */
  lines: Array<[string, string, number, number, string?]>;
}
export function rSale(s: RSale): Json {
  const customer = s.customer ?? ANN;
  const total = s.lines.reduce((sum, l) => sum + l[3], 0);
  return {
    saleID: s.id,
    updatetime: s.time,
    completeTime: s.time,
    completed: 'true',
    archived: 'false',
    voided: 'false',
    calcSubtotal: String(total),
    calcTotal: String(total),
    total: String(total),
    customerID: customer,
    shopID: '1',
    registerID: '1',
    SaleLines: {
      SaleLine: s.lines.map(([lineId, itemId, quantity, subtotal, parent]) => ({
        saleLineID: lineId,
        saleID: s.id,
        itemID: itemId,
        unitQuantity: String(quantity),
        unitPrice: String(Math.abs(subtotal / quantity)),
        calcLineDiscount: '0',
        calcTransactionDiscount: '0',
        calcSubtotal: String(subtotal),
        calcTotal: String(subtotal),
        calcTax1: '0',
        parentSaleLineID: parent ?? '0',
        Item: { itemID: itemId, description: `item ${itemId}`, categoryID: '0' },
      })),
    },
    SalePayments: {
      SalePayment: {
        salePaymentID: `p${s.id}`,
        amount: String(total),
        paymentTypeID: '3',
        archived: 'false',
        PaymentType: { paymentTypeID: '3', name: 'Credit Card', type: 'credit card' },
      },
    },
    Customer: {
      customerID: customer,
      firstName: customer,
      lastName: 'Test',
      Contact: { Emails: { ContactEmail: { address: `${customer}@example.com`, useType: 'Primary' } } },
    },
  };
}
/** One poll that finds these sales. */
