import { z } from 'zod';
import { rChangeTime, UNREADABLE_CHANGE_TIME } from './changeTime.js';

/** R-Series returns a relation holding one record as an object and several as an array. */
export const oneOrMany = <T extends z.ZodType>(item: T) =>
  z
    .union([z.array(item), item])
    .nullish()
    .transform((v): z.infer<T>[] => (v == null ? [] : Array.isArray(v) ? v : [v]));

const text = z.string();
const optText = z.string().nullish();

export const rContactSchema = z.looseObject({
  Emails: z
    .looseObject({ ContactEmail: oneOrMany(z.looseObject({ address: text, useType: optText })) })
    .nullish()
    .or(z.literal('')),
  Phones: z
    .looseObject({ ContactPhone: oneOrMany(z.looseObject({ number: text, useType: optText })) })
    .nullish()
    .or(z.literal('')),
});

export const rSaleSchema = z
  .looseObject({
    saleID: text,
    completed: optText,
    voided: optText,
    archived: optText,
    updatetime: optText,
    /** As Lightspeed's Sales tutorial spells it. */
    updateTime: optText,
    timeStamp: optText,
    completeTime: optText,
    createTime: optText,
    customerID: optText,
    shopID: optText,
    registerID: optText,
    employeeID: optText,
    SaleLines: z
      .looseObject({
        SaleLine: oneOrMany(
          z.looseObject({
            saleLineID: text,
            itemID: optText,
            unitQuantity: text,
            unitPrice: optText,
            normalUnitPrice: optText,
            discountID: optText,
            calcSubtotal: optText,
            calcLineDiscount: optText,
            calcTransactionDiscount: optText,
            parentSaleLineID: optText,
            Item: z
              .looseObject({
                itemID: optText,
                categoryID: optText,
                description: optText,
                systemSku: optText,
                customSku: optText,
                manufacturerSku: optText,
                upc: optText,
                ean: optText,
              })
              .nullish(),
            Note: z.looseObject({ note: optText }).nullish(),
          }),
        ),
      })
      .nullish()
      .or(z.literal('')),
    SalePayments: z
      .looseObject({
        SalePayment: oneOrMany(
          z.looseObject({
            amount: text,
            archived: optText,
            PaymentType: z.looseObject({ name: optText, type: optText }).nullish(),
          }),
        ),
      })
      .nullish()
      .or(z.literal('')),
    Customer: z
      .looseObject({
        customerID: text,
        customerTypeID: optText,
        Contact: rContactSchema.nullish().or(z.literal('')),
      })
      .nullish(),
  })
  // Its version: a sale that does not say when it changed cannot be ordered, and is refused by name.
  .refine((sale) => Number.isFinite(rChangeTime(sale)), { path: ['updatetime'], message: UNREADABLE_CHANGE_TIME });

export type RSale = z.infer<typeof rSaleSchema>;

/** `GET Sale/{id}.json` answers `{ "@attributes": ..., "Sale": {...} }`. */
export const rSaleResponseSchema = z.looseObject({ Sale: rSaleSchema });
/** `GET Sale.json?...` answers one or many sales. */
/** A page of sales, each left unparsed so that one malformed sale cannot refuse the whole page. */
export const rSaleListSchema = z.looseObject({
  '@attributes': z.looseObject({ next: z.string().nullish(), count: z.string().nullish() }).nullish(),
  Sale: oneOrMany(z.unknown()),
});

export const rCategoryListSchema = z.looseObject({
  '@attributes': z.looseObject({ next: z.string().nullish() }).nullish(),
  Category: oneOrMany(z.looseObject({ categoryID: text, name: text, parentID: optText })),
});

export const rCustomerTypeListSchema = z.looseObject({
  '@attributes': z.looseObject({ next: z.string().nullish() }).nullish(),
  CustomerType: oneOrMany(z.looseObject({ customerTypeID: text, name: text })),
});

/** `Employee.json` (cashiers): only the id and the name are read. */
export const rEmployeeListSchema = z.looseObject({
  '@attributes': z.looseObject({ next: z.string().nullish() }).nullish(),
  Employee: oneOrMany(z.looseObject({ employeeID: text, firstName: optText, lastName: optText })),
});

export const rRegisterListSchema = z.looseObject({
  '@attributes': z.looseObject({ next: z.string().nullish() }).nullish(),
  Register: oneOrMany(z.looseObject({ registerID: text, name: optText })),
});

export const rShopListSchema = z.looseObject({
  '@attributes': z.looseObject({ next: z.string().nullish() }).nullish(),
  Shop: oneOrMany(z.looseObject({ shopID: text, name: optText })),
});

/** What one `Sale` call loads, so the worker needs no further call per sale (each relation adds to the cost). */
export const R_SALE_RELATIONS = JSON.stringify(['SaleLines', 'SaleLines.Item', 'SalePayments', 'SalePayments.PaymentType', 'Customer', 'Customer.Contact']);
