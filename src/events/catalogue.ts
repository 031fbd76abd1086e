import { z } from 'zod';

/**
 * The event catalogue (version 1): every type a receiver may get, with the schema of its `data`. A type
 * keeps its schema; a change that is not additive gets a new type name. `webhook.test` is what "send a
 * test event" sends.
 */
export const EVENT_TYPES = [
  'sale.decided',
  'points.pending',
  'points.available',
  'points.reversed',
  'points.adjusted',
  'customer.balance_changed',
  'frequent_buyer.claim.status_changed',
  'alert.opened',
  'alert.resolved',
  'webhook.test',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const eventTypeSchema = z.enum(EVENT_TYPES);

const merchant = z.object({ id: z.string(), name: z.string() }).describe('the store');
const customer = z
  .object({
    lightspeedId: z.string().describe("the customer's id in Lightspeed; with merchant.id it is our key for the customer"),
    consoleUrl: z.string().describe("the customer's page in the console"),
  })
  .nullable();
const sale = z
  .object({
    id: z.string().describe("Lightspeed's sale id"),
    receipt: z.string().nullable().describe('the receipt (invoice / ticket) number printed by the store'),
    consoleUrl: z.string(),
  })
  .nullable();
const money = z.object({
  minor: z.number().int().describe('integer minor units (100 = 1.00)'),
  currency: z.string().nullable().describe('ISO 4217 code; null while the service does not know the store currency'),
});
const reason = z.object({
  code: z.string().describe('stable reason code (src/rules/reasons.ts)'),
  data: z.record(z.string(), z.unknown()),
  messages: z.object({ en: z.string(), fr: z.string() }),
});

const common = {
  merchant,
  customer,
  sale,
  sequence: z.number().int().nullable().describe("the customer's event number: order a customer's events by it"),
};

const entry = z.object({
  ...common,
  entryId: z.number().int(),
  kind: z.enum(['earn', 'reverse', 'adjust']),
  points: z.number().int().describe('signed points of the entry'),
  status: z.enum(['pending', 'posted']),
  availableAt: z.string(),
  note: z.string().nullable(),
});

/** An Insights alert (src/insights/alerts): opened by the hourly detector, resolved by it or by a person. */
const alert = z.object({
  ...common,
  alertId: z.number().int(),
  kind: z.string().describe('stable alert kind, e.g. EARNING_RATE_DROP, POLLING_STALLED, REAUTH_NEEDED'),
  subject: z.string().describe('what the alert is about within its kind (a cause, a register...); empty when the kind says it all'),
  evidence: z.record(z.string(), z.unknown()).describe('the figures that opened it'),
  openedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.enum(['system', 'staff']).nullable().describe('system: the condition no longer holds; staff: a person resolved it'),
  consoleUrl: z.string().describe("the merchant's Insights page"),
});

export const eventDataSchemas: Record<EventType, z.ZodType> = {
  'sale.decided': z.object({
    ...common,
    saleVersion: z.number().int(),
    outcome: z.enum(['credited', 'pending', 'none', 'reversed']),
    points: z.number().int().describe("the sale's net points after this version"),
    availableAt: z.string().nullable(),
    eligible: money.describe('the amount that earned points'),
    rulesVersion: z.number().int(),
    reasons: z.array(reason),
  }),
  'points.pending': entry,
  'points.available': entry.extend({ released: z.boolean().describe('true when a pending entry became available') }),
  'points.reversed': entry,
  'points.adjusted': entry,
  'customer.balance_changed': z.object({
    ...common,
    available: z.number().int(),
    pending: z.number().int(),
    previous: z.object({ available: z.number().int(), pending: z.number().int() }),
  }),
  'frequent_buyer.claim.status_changed': z.object({
    ...common,
    claimId: z.number().int(),
    from: z.string().nullable(),
    to: z.string(),
    offerId: z.number().int(),
    shopId: z.string(),
    value: money,
    denialReason: z.string().nullable(),
    consoleUrl: z.string(),
  }),
  'alert.opened': alert,
  'alert.resolved': alert,
  'webhook.test': z.object({ merchant: merchant.nullable(), message: z.string() }),
};

/** The body of every delivery (Standard Webhooks' recommended shape). */
export const envelopeSchema = (type: EventType) =>
  z.object({
    id: z.string().describe('the event id, also sent as webhook-id: use it to drop duplicates'),
    type: z.literal(type),
    timestamp: z.string().describe('when the change happened (ISO 8601)'),
    data: eventDataSchemas[type],
  });
