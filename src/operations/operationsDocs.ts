import type { RouteDoc } from '../routeDoc.js';
import { z } from 'zod';
import { openEventSchema, replayAnswerSchema } from '../contract/operations.js';
import { listQuerySchema, replayFilterSchema } from './eventRoutes.js';

/** The inbox: events and their replay: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const operationsDocs: Record<string, RouteDoc> = {
  'GET /admin/api/merchants/:id/events': {
    summary: 'Inbox events (failed ones with their error)',
    response: z.array(openEventSchema),
    caller: 'staff',
    query: listQuerySchema,
  },
  'POST /admin/api/merchants/:id/events/:eventId/replay': {
    summary: 'Replay one event',
    response: replayAnswerSchema,
    caller: 'staff',
    roles: ['admin', 'support'],
  },
  'POST /admin/api/merchants/:id/events/replay': {
    summary: 'Replay every event matching a filter',
    response: replayAnswerSchema,
    caller: 'staff',
    roles: ['admin', 'support'],
    body: replayFilterSchema,
  },
};
