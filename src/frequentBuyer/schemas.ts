import { z } from 'zod';
import { denialReasons } from './claims.js';

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

export const enrollmentSchema = z.object({ distributorId: z.number().int().positive(), accountNumber: z.string().trim().min(1).max(64).optional() }).strict();

export const settingsSchema = z.object({ redemptionDiscount: z.string().trim().min(1).max(200).nullable() }).strict();

/** Money in: a decimal string such as "54.99", never a float. */
const price = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'a price such as "54.99"');

export const redemptionSchema = z
  .object({
    customerId: z.string().min(1).max(100),
    offerId: z.number().int().positive(),
    shopId: z.string().min(1).max(100),
    freeItemPrice: price,
    saleId: z.string().min(1).max(100).optional(),
    /** The same key twice records one redemption. */
    idempotencyKey: z.string().min(1).max(200),
  })
  .strict();

export const resubmitSchema = z
  .object({
    distributorId: z.number().int().positive().optional(),
    accountNumber: z.string().trim().min(1).max(64).optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();

export const distributorRequestSchema = z
  .object({
    offerId: z.number().int().positive().optional(),
    distributorName: z.string().trim().min(1).max(200),
    contact: z.string().trim().min(1).max(500),
    note: z.string().max(2000).optional(),
  })
  .strict();

export const holdingSchema = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

export const denySchema = z.object({ reason: z.enum(denialReasons), note: z.string().max(2000).optional() }).strict();

export const batchSchema = z.object({ claimIds: z.array(z.number().int().positive()).min(1).max(10_000).optional() }).strict();

export const creditSchema = z.object({ creditReference: z.string().trim().min(1).max(200) }).strict();

/** A platform admin's answer to a "my distributor is not listed" request. */
export const requestStatusSchema = z.object({ status: z.enum(['open', 'added', 'declined']), note: z.string().trim().max(2000).optional() }).strict();
