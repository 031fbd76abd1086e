import { z } from 'zod';

const optText = z.string().nullish();

/** X-Series 2.0 list envelope: `data[]` and `version {min, max}` for `after=` paging. */
export const xListSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({ data: z.array(item).default([]), version: z.looseObject({ min: z.number().nullish(), max: z.number().nullish() }).nullish() });

export const xProductCategorySchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  parent_category_id: optText,
  root_category_id: optText,
  category_path: z.array(z.looseObject({ id: z.string(), name: z.string().nullish() })).nullish(),
});

export const xCustomerGroupSchema = z.looseObject({ id: z.string(), name: z.string().nullish() });

/** `/api/2.0/users` (staff): only the id and how the POS shows the person are read. */
export const xUserSchema = z.looseObject({ id: z.string(), display_name: z.string().nullish(), username: z.string().nullish() });

/** `/api/2.0/registers` and `/api/2.0/outlets`: id and name. */
export const xNamedSchema = z.looseObject({ id: z.string(), name: z.string().nullish() });

/** Only what the rules need from a product: its category and whether it sells a gift card. */
export const xProductSchema = z.looseObject({
  data: z.looseObject({
    id: z.string(),
    name: z.string().nullish(),
    product_category: z.looseObject({ id: z.string() }).nullish(),
    categories: z.array(z.looseObject({ id: z.string() })).nullish(),
    type: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
    is_gift_card: z.boolean().nullish(),
    sku: z.string().nullish(),
    product_codes: z.array(z.looseObject({ type: z.string().nullish(), code: z.string().nullish() })).nullish(),
  }),
});
