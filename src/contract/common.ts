import { z } from 'zod';

/**
 * What every answer shares. The contract is what the console reads from the server: zod schemas the
 * server documents (src/routeDocs.ts) and whose inferred types the console compiles against, so a change
 * here that the console does not follow fails `npm run typecheck`. Dates are ISO strings on the wire;
 * money is integer minor units.
 */
export const isoTime = z.string().describe('ISO 8601 instant');

/** Every refusal: a stable code the console translates (console/src/i18n), a message for logs and API users. */
export const errorAnswerSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorAnswer = z.infer<typeof errorAnswerSchema>;

/** A 400's field issues (src/http/validate.ts): the field's dotted path and zod's message. */
export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** The series decides words (X "customer group", R "customer type") and what a version number is (R: an update time). */
export const seriesSchema = z.enum(['x', 'r']);
export type Series = z.infer<typeof seriesSchema>;

/** The merchant as a page that shows its data needs it: its name, its series and the time zone its dates are read in. */
export const merchantFaceSchema = z.object({ id: z.string(), name: z.string(), series: seriesSchema, timezone: z.string() });
export type MerchantFace = z.infer<typeof merchantFaceSchema>;
