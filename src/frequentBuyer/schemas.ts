import { z } from 'zod';

const region = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'a state/province code such as QC or US-NY');

export const distributorSchema = z
  .object({ name: z.string().min(1).max(200), regions: z.array(region).min(1), requiresAccountNumber: z.boolean().default(false) })
  .strict();

export const offerSchema = z
  .object({
    manufacturer: z.string().min(1),
    brand: z.string().min(1),
    name: z.string().min(1),
    purchasesRequired: z.number().int().min(1).max(100),
    /** UPC, EAN or SKU codes, matched to each merchant's Lightspeed products. */
    products: z.array(z.object({ upc: z.string().optional(), ean: z.string().optional(), sku: z.string().optional() })).min(1),
    freeItemRule: z.enum(['lesser_or_equal_value', 'least_value']),
    startsOn: z.iso.date(),
    endsOn: z.iso.date().optional(),
    eligibleDistributorIds: z.array(z.number().int().positive()).min(1),
  })
  .strict();

export const locationSchema = z.object({ name: z.string().min(1).max(200), region }).strict();

export const enrollmentSchema = z
  .object({ distributorId: z.number().int().positive(), accountNumber: z.string().trim().min(1).max(64).optional() })
  .strict();
