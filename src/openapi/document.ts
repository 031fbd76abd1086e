import { z } from 'zod';
import { EVENT_TYPES, envelopeSchema } from '../events/catalogue.js';
import { routeDocs, type RouteDoc } from '../routeDocs.js';

type Json = Record<string, unknown>;

/** zod's own JSON Schema (draft 2020-12, OpenAPI 3.1's dialect), of what a client sends. */
const schemaOf = (schema: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

/** The same of what the service answers (a contract schema, as the console reads it). */
const answerSchemaOf = (schema: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
  return rest;
};

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'stable code, e.g. VALIDATION_FAILED, NOT_FOUND, FORBIDDEN' },
        message: { type: 'string' },
        details: {},
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

const security: Record<RouteDoc['caller'], Array<Record<string, string[]>>> = {
  staff: [{ bearer: [] }, { session: [] }],
  distributor: [{ bearer: [] }],
  lightspeed: [{ lightspeedSignature: [] }],
  public: [],
};

function operation(key: string, doc: RouteDoc): Json {
  const [method, path] = key.split(' ') as [string, string];
  const params = [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } }));
  const query = doc.query
    ? Object.entries((schemaOf(doc.query).properties ?? {}) as Record<string, Json>).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
    : [];
  const ok = doc.ok ?? { status: 200, description: 'OK' };
  const who =
    doc.caller === 'staff'
      ? `Staff${doc.roles ? ` (${doc.roles.join(', ')})` : ''}: an API token or a console session.`
      : doc.caller === 'distributor'
        ? 'A distributor token.'
        : doc.caller === 'lightspeed'
          ? 'Lightspeed.'
          : 'Anyone.';
  return {
    operationId: `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: doc.summary,
    description: [who, doc.description].filter(Boolean).join('\n\n'),
    tags: [
      path.startsWith('/distributor/')
        ? 'distributor'
        : path.startsWith('/webhooks/')
          ? 'webhooks'
          : path.includes('frequent-buyer')
            ? 'frequent-buyer'
            : 'admin',
    ],
    security: security[doc.caller],
    parameters: [...params, ...query],
    ...(doc.body ? { requestBody: { required: true, content: { [doc.bodyType ?? 'application/json']: { schema: schemaOf(doc.body) } } } } : {}),
    responses: {
      [String(ok.status)]: {
        description: ok.description,
        content: { [ok.type ?? 'application/json']: { schema: ok.type ? { type: 'string' } : doc.response ? answerSchemaOf(doc.response) : {} } },
      },
      '4XX': {
        description: 'Refused: 400/422 bad input, 401/403 who you are, 404 not found or not yours, 409, 413, 415, 429',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    },
  };
}

/** The OpenAPI 3.1 description of every documented route, generated from the route registry and its zod schemas. */
export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const [key, doc] of Object.entries(routeDocs)) {
    const [method, path] = key.split(' ') as [string, string];
    const openPath = path.replace(/:(\w+)/g, '{$1}');
    paths[openPath] = { ...(paths[openPath] ?? {}), [method.toLowerCase()]: operation(key, doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lightspeed Retail loyalty worker',
      version: '0.1.0',
      description:
        "Admin API (/admin/api), distributor API (/distributor/api) and Lightspeed webhooks. Generated from the routes' zod schemas (src/routeDocs.ts).",
    },
    servers: [{ url: '/' }],
    paths,
    // Outbound events (Standard Webhooks): what a merchant's endpoint receives, one entry per event type.
    webhooks: Object.fromEntries(
      EVENT_TYPES.map((type) => [
        type,
        {
          post: {
            summary: `${type} event`,
            description:
              'POSTed to each endpoint that wants it, signed per Standard Webhooks: `webhook-id` (the event id, the same on every retry), `webhook-timestamp`, `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, space-separated during a secret rotation). Answer 2xx; 410 disables the endpoint.',
            requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(envelopeSchema(type), { unrepresentable: 'any' }) } } },
            responses: { '2XX': { description: 'received' }, '410': { description: 'gone: the endpoint is disabled' } },
          },
        },
      ]),
    ),
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (npm run token -- create)' },
        session: { type: 'apiKey', in: 'cookie', name: 'loyalty_session', description: 'A console session (POST /admin/api/session)' },
        lightspeedSignature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: 'HMAC-SHA256 with the app client secret' },
      },
    },
  };
}
