import { createHmac } from 'node:crypto';
import { R, X } from '../../tools/fake-lightspeed/index.js';

/**
 * The demo's sales, in the fixtures' shapes (test/fixtures/lightspeed): X-Series `register_sale` webhooks
 * and R-Series `Sale` records with their relations. Times hang off `anchor` (the demo merchant's creation)
 * so a second run sends byte-identical sales, which the service recognizes as already received.
 */
const money = (minor: number) => (minor / 100).toFixed(5);
const rMoney = (minor: number) => String(minor / 100);
const at = (anchor: Date, minutes: number) => new Date(anchor.getTime() + minutes * 60_000);
const xDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const PRICES = { kibble: 1200, catTree: 2540, prescriptionDiet: 3499 } as const;
type Item = keyof typeof PRICES;

export interface XDemoSale {
  title: string;
  id: string;
  version: number;
  receipt: string;
  customerId: string;
  payload: Record<string, unknown>;
  /** What the seed cause or outcome should be, for the summary. */
  expect: string;
}

function xSale(
  anchor: Date,
  n: number,
  o: {
    customer: 'jane' | 'wholesaler';
    lines: Array<[Item, number]>;
    status?: string;
    version?: number;
    returnFor?: string;
    minutes: number;
    expect: string;
    title: string;
  },
): XDemoSale {
  const id = `demo-x-sale-${n}`;
  const customerId = X.customers[o.customer];
  const lines = o.lines.map(([item, quantity], i) => ({
    id: `${id}-l${i + 1}`,
    product_id: X.products[item],
    quantity,
    price: money(PRICES[item]),
    price_total: money(PRICES[item] * quantity),
    discount: '0.00000',
    tax: '0.00000',
    tax_total: '0.00000',
    loyalty_value: '0.00000',
    ...(quantity < 0 ? { is_return: true } : {}),
  }));
  const total = o.lines.reduce((sum, [item, q]) => sum + PRICES[item] * q, 0);
  const when = xDate(at(anchor, o.minutes));
  const version = o.version ?? 1_000 + n * 10;
  const customer =
    o.customer === 'jane'
      ? {
          id: customerId,
          customer_code: 'JANE-0042',
          customer_group_id: X.groups.retail,
          first_name: 'Jane',
          last_name: 'Doe',
          email: 'jane.doe@example.com',
          phone: '',
          mobile: '+15145550142',
          enable_loyalty: true,
        }
      : {
          id: customerId,
          customer_code: 'KENNEL-7',
          customer_group_id: X.groups.wholesale,
          first_name: 'Kennel',
          last_name: 'Supply',
          email: 'orders@kennel.example',
          phone: '',
          mobile: '',
          enable_loyalty: true,
        };
  const receipt = String(5_000 + n);
  return {
    title: o.title,
    id,
    version,
    receipt,
    customerId,
    expect: o.expect,
    payload: {
      id,
      source: 'USER',
      register_id: X.register,
      outlet_id: X.outlet,
      customer_id: customerId,
      invoice_number: receipt,
      status: o.status ?? 'CLOSED',
      return_for: o.returnFor ?? null,
      sale_date: when,
      created_at: when.replace('T', ' ').replace('Z', ''),
      updated_at: when.replace('Z', '+00:00'),
      version,
      totals: { total_price: money(total), total_tax: '0.00000', total_payment: money(total), total_to_pay: '0.00000', total_loyalty: '0.00000' },
      customer,
      register_sale_products: lines,
      register_sale_payments: [
        {
          id: `${id}-pay`,
          amount: total / 100,
          payment_date: when,
          payment_type_id: 3,
          retailer_payment_type: { id: 'rpt-card', name: 'Credit Card', payment_type_id: 3 },
        },
      ],
    },
  };
}

/** X-Series (autorewards on): what arrives first, then what changes afterwards. */
export function xSales(anchor: Date): { first: XDemoSale[]; then: XDemoSale[] } {
  const credited = xSale(anchor, 1, {
    title: 'credited',
    customer: 'jane',
    lines: [
      ['kibble', 2],
      ['catTree', 1],
    ],
    minutes: -180,
    expect: 'CREDITED 49',
  });
  const toVoid = xSale(anchor, 4, { title: 'credited, then voided', customer: 'jane', lines: [['kibble', 1]], minutes: -170, expect: 'CREDITED 12' });
  return {
    first: [
      credited,
      xSale(anchor, 2, {
        // X-Series calls them customer groups (R-Series: customer types), as the console does.
        title: 'excluded customer group (Wholesale)',
        customer: 'wholesaler',
        lines: [['catTree', 1]],
        minutes: -175,
        expect: 'CUSTOMER_SEGMENT_EXCLUDED',
      }),
      xSale(anchor, 3, {
        title: 'exempt category (Dog / Food / Prescription)',
        customer: 'jane',
        lines: [['prescriptionDiet', 1]],
        minutes: -172,
        expect: 'LINE_CATEGORY_EXEMPT',
      }),
      toVoid,
    ],
    then: [
      xSale(anchor, 5, {
        title: 'a return of one bag of the credited sale',
        customer: 'jane',
        lines: [['kibble', -1]],
        returnFor: credited.id,
        minutes: -120,
        expect: 'RETURN_REVERSED',
      }),
      xSale(anchor, 4, {
        title: 'credited, then voided',
        customer: 'jane',
        lines: [['kibble', 1]],
        status: 'VOIDED',
        version: toVoid.version + 5,
        minutes: -170,
        expect: 'VOID_REVERSED',
      }),
    ],
  };
}

/** The `X-Signature` header Lightspeed sends, over the form body, hex (one of the readings the service accepts). */
export function signedWebhook(secret: string, payload: unknown): { body: string; signature: string } {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return { body, signature: `signature=${createHmac('sha256', secret).update(body).digest('hex')},algorithm=HMAC-SHA256` };
}

export interface RDemoSale {
  title: string;
  saleId: string;
  updatetime: string;
  receipt: string;
  customerId: string;
  sale: Record<string, unknown>;
  expect: string;
  pressButton?: boolean;
}

function rSale(
  anchor: Date,
  n: number,
  o: {
    customer: 'jane' | 'wholesaler';
    lines: Array<[Item, number]>;
    completed?: boolean;
    minutes: number;
    title: string;
    expect: string;
    pressButton?: boolean;
  },
): RDemoSale {
  const saleId = String(70_000 + n);
  const when = at(anchor, o.minutes)
    .toISOString()
    .replace(/\.\d{3}Z$/, '+00:00');
  const customerId = R.customers[o.customer];
  const typeId = o.customer === 'jane' ? R.customerTypes.member : R.customerTypes.wholesale;
  const category = { kibble: R.categories.food, catTree: R.categories.furniture, prescriptionDiet: R.categories.prescription } as const;
  const lines = o.lines.map(([item, q], i) => ({
    saleLineID: `${saleId}${i + 1}`,
    saleID: saleId,
    itemID: R.items[item],
    unitQuantity: String(q),
    unitPrice: rMoney(PRICES[item]),
    calcSubtotal: rMoney(PRICES[item] * q),
    calcLineDiscount: '0',
    calcTransactionDiscount: '0',
    calcTotal: rMoney(PRICES[item] * q),
    calcTax1: '0',
    calcTax2: '0',
    isLayaway: 'false',
    isWorkorder: 'false',
    isSpecialOrder: 'false',
    parentSaleLineID: '0',
    Item: { itemID: R.items[item], categoryID: category[item], description: item },
  }));
  const total = o.lines.reduce((sum, [item, q]) => sum + PRICES[item] * q, 0);
  const receipt = `2200000${saleId}`;
  return {
    title: o.title,
    saleId,
    updatetime: when,
    receipt,
    customerId,
    expect: o.expect,
    ...(o.pressButton ? { pressButton: true } : {}),
    sale: {
      saleID: saleId,
      timeStamp: when,
      createTime: when,
      updatetime: when,
      completeTime: o.completed === false ? '' : when,
      completed: o.completed === false ? 'false' : 'true',
      archived: 'false',
      voided: 'false',
      ticketNumber: receipt,
      calcSubtotal: rMoney(total),
      calcTotal: rMoney(total),
      total: rMoney(total),
      customerID: customerId,
      shopID: R.shop,
      registerID: R.register,
      // One line is an object, several an array (the documented quirk).
      SaleLines: { SaleLine: lines.length === 1 ? lines[0] : lines },
      SalePayments: { SalePayment: { amount: rMoney(total), archived: 'false', PaymentType: { name: 'Credit Card', type: 'credit card' } } },
      Customer: {
        customerID: customerId,
        customerTypeID: typeId,
        firstName: o.customer === 'jane' ? 'Jane' : 'Kennel',
        lastName: o.customer === 'jane' ? 'Doe' : 'Supply',
        Contact: { Emails: { ContactEmail: { address: o.customer === 'jane' ? 'jane.doe@example.com' : 'orders@kennel.example', useType: 'Primary' } } },
      },
    },
  };
}

/** R-Series (autorewards off, points after 30 days): staff press the POS button on one sale. */
export function rSales(anchor: Date): RDemoSale[] {
  return [
    rSale(anchor, 1, {
      title: 'autorewards off, nobody pressed the button',
      customer: 'jane',
      lines: [
        ['kibble', 2],
        ['catTree', 1],
      ],
      minutes: -160,
      expect: 'AWAITING_REWARDS_BUTTON',
    }),
    rSale(anchor, 2, {
      title: 'autorewards off, then the POS button: pending 30 days',
      customer: 'jane',
      lines: [['kibble', 3]],
      minutes: -155,
      expect: 'PENDING_UNTIL 36',
      pressButton: true,
    }),
    rSale(anchor, 3, {
      title: 'excluded customer type (Wholesale)',
      customer: 'wholesaler',
      lines: [['catTree', 1]],
      minutes: -150,
      expect: 'CUSTOMER_SEGMENT_EXCLUDED',
    }),
    rSale(anchor, 4, {
      title: 'exempt category (Dog / Food / Prescription)',
      customer: 'jane',
      lines: [['prescriptionDiet', 1]],
      minutes: -145,
      expect: 'LINE_CATEGORY_EXEMPT',
    }),
    rSale(anchor, 5, {
      title: 'not completed yet (on hold)',
      customer: 'jane',
      lines: [['kibble', 1]],
      completed: false,
      minutes: -140,
      expect: 'SALE_NOT_COMPLETED',
    }),
  ];
}
