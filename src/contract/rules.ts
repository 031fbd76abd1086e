import { z } from 'zod';
import { rulesSchema, type RulesDocument } from '../rules/rules.js';
import { paymentKinds } from '../rules/sale.js';
import { isoTime } from './common.js';

/** The Rules page's routes: GET/PUT .../rules, GET .../rules/versions, GET .../reference, POST .../rules/preview. */

export { paymentKinds, rulesSchema };
export type { RulesDocument };

export const rulesAnswerSchema = rulesSchema.extend({ version: z.number().int() });
export type RulesAnswer = z.infer<typeof rulesAnswerSchema>;

export const rulesChangeSchema = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });
export type RulesChange = z.infer<typeof rulesChangeSchema>;

export const rulesVersionsAnswerSchema = z.object({
  versions: z.array(
    z.object({ version: z.number().int(), createdBy: z.string(), createdAt: isoTime, document: rulesSchema, changes: z.array(rulesChangeSchema) }),
  ),
});
export type RulesVersionsAnswer = z.infer<typeof rulesVersionsAnswerSchema>;
export type RulesVersion = RulesVersionsAnswer['versions'][number];

export const referenceAnswerSchema = z.object({
  segments: z.record(z.string(), z.string()),
  /** Category id → its path of names. */
  categories: z.record(z.string(), z.string()),
  /** Category id → its own name, and its parent (null at the root): the category tree. */
  categoryNames: z.record(z.string(), z.string()),
  categoryParents: z.record(z.string(), z.string().nullable()),
  products: z.record(z.string(), z.string()),
});
export type ReferenceAnswer = z.infer<typeof referenceAnswerSchema>;

export const previewRequestSchema = z.object({ rules: z.record(z.string(), z.unknown()), days: z.number().int().min(1).max(90).default(30) }).strict();

export const previewChangeSchema = z.object({
  saleId: z.string(),
  receipt: z.string().nullable(),
  customerId: z.string().nullable(),
  completedAt: isoTime.nullable(),
  before: z.object({ status: z.string().nullable(), points: z.number().int() }),
  after: z.object({
    status: z.string(),
    points: z.number().int(),
    reasons: z.array(z.object({ code: z.string(), data: z.record(z.string(), z.unknown()), names: z.record(z.string(), z.string()) })),
  }),
});
export type PreviewChange = z.infer<typeof previewChangeSchema>;

export const rulesPreviewSchema = z.object({
  days: z.number().int(),
  salesEvaluated: z.number().int(),
  pointsBefore: z.number().int(),
  pointsAfter: z.number().int(),
  customersAffected: z.number().int(),
  changedCount: z.number().int(),
  changed: z.array(previewChangeSchema),
});
export type RulesPreview = z.infer<typeof rulesPreviewSchema>;
