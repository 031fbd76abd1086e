import { z } from 'zod';
import { EVENT_TYPES } from './catalogue.js';

const eventTypes = z
  .array(z.enum(EVENT_TYPES))
  .max(EVENT_TYPES.length)
  .refine((list) => new Set(list).size === list.length, 'event types must not repeat')
  .describe('the event types to send; empty or omitted: all');

export const endpointCreateSchema = z
  .object({
    url: z.string().min(1).max(2000).describe('https URL (http outside production); must not reach a private, loopback or link-local address'),
    description: z.string().max(500).default(''),
    eventTypes: eventTypes.default([]),
    enabled: z.boolean().default(true),
  })
  .strict();

export const endpointPatchSchema = z
  .object({ url: z.string().min(1).max(2000).optional(), description: z.string().max(500).optional(), eventTypes: eventTypes.optional() })
  .strict();

export const deliveriesQuerySchema = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional().describe('deliveries with a smaller id (the next page)'),
});

export const replaySinceSchema = z.object({ since: z.iso.datetime({ offset: true }).describe('every event from this time on is sent again') }).strict();
