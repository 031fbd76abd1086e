import { deliveriesQuerySchema, endpointCreateSchema, endpointPatchSchema, replaySinceSchema } from './schemas.js';

// The OpenAPI entries of ./routes.ts (spread into src/routeDocs.ts): the same routes for a merchant's
// endpoints and for the platform-wide ones.
const merchantPrefix = '/admin/api/merchants/:id/webhook-endpoints';
const platformPrefix = '/admin/api/webhook-endpoints';

const docsFor = (prefix: string, who: string, readers: string[] | undefined, admins: string[]) => {
  const one = `${prefix}/:endpointId`;
  return {
    [`GET ${prefix}`]: { summary: `${who}: webhook endpoints (secrets never shown)`, caller: 'staff' as const, roles: readers },
    [`POST ${prefix}`]: {
      summary: `${who}: add a webhook endpoint`,
      description:
        'Answers the endpoint and its `whsec_` signing secret, shown this once (stored encrypted). Deliveries follow the Standard Webhooks specification: `webhook-id`, `webhook-timestamp`, `webhook-signature`. 422 URL_SCHEME (production: https only), URL_ADDRESS (loopback, private, link-local or metadata address), URL_UNRESOLVED.',
      caller: 'staff' as const,
      roles: admins,
      body: endpointCreateSchema,
      ok: { status: 201, description: '{ endpoint, secret }' },
    },
    [`GET ${one}`]: { summary: `${who}: a webhook endpoint`, caller: 'staff' as const, roles: readers },
    [`PATCH ${one}`]: {
      summary: `${who}: change a webhook endpoint's URL, description or event types`,
      caller: 'staff' as const,
      roles: admins,
      body: endpointPatchSchema,
    },
    [`DELETE ${one}`]: {
      summary: `${who}: delete a webhook endpoint and its delivery log`,
      caller: 'staff' as const,
      roles: admins,
      ok: { status: 204, description: 'deleted' },
    },
    [`POST ${one}/rotate-secret`]: {
      summary: `${who}: a new signing secret (shown once)`,
      description: 'The previous secret keeps signing beside the new one (two signatures in `webhook-signature`) until `previousSecretValidUntil`.',
      caller: 'staff' as const,
      roles: admins,
    },
    [`POST ${one}/disable`]: { summary: `${who}: stop sending to an endpoint`, caller: 'staff' as const, roles: admins },
    [`POST ${one}/enable`]: {
      summary: `${who}: send to an endpoint again (its pending deliveries go at once)`,
      description: 'Changes made while it was disabled are not sent, unless another endpoint wanted them (then replay since a time sends them).',
      caller: 'staff' as const,
      roles: admins,
    },
    [`POST ${one}/test`]: {
      summary: `${who}: send a webhook.test event`,
      caller: 'staff' as const,
      roles: admins,
      ok: { status: 202, description: '{ eventId }' },
    },
    [`GET ${one}/deliveries`]: {
      summary: `${who}: the delivery log (status, attempts, latency, response excerpt), newest first`,
      caller: 'staff' as const,
      roles: readers,
      query: deliveriesQuerySchema,
    },
    [`POST ${one}/deliveries/:deliveryId/replay`]: {
      summary: `${who}: send one delivery again (same event id)`,
      caller: 'staff' as const,
      roles: admins,
      ok: { status: 202, description: '{ replayed: 1 }' },
    },
    [`POST ${one}/replay`]: {
      summary: `${who}: send every stored event since a time again`,
      description:
        'Stored events the endpoint never had (stored for another endpoint before this one was added) are sent too; events no enabled endpoint wanted when their change happened were never stored. Same event ids: receivers drop what they already processed.',
      caller: 'staff' as const,
      roles: admins,
      body: replaySinceSchema,
      ok: { status: 202, description: '{ replayed }' },
    },
  };
};

export const eventRouteDocs = {
  'GET /admin/api/webhook-event-types': { summary: 'The outbound event catalogue (schemas: the `webhooks` section)', caller: 'staff' as const },
  ...docsFor(merchantPrefix, 'Merchant', undefined, ['admin']),
  ...docsFor(platformPrefix, 'Platform-wide (every merchant’s events)', ['platform admin'], ['platform admin']),
};
