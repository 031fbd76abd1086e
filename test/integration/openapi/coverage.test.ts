import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { openApiDocument } from '../../../src/openapi/document.js';
import { documentedPrefixes, routeDocs } from '../../../src/routeDocs.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { appRoutes } from '../../helpers/routes.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let mounted: string[];

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  mounted = appRoutes(app).filter((r) => documentedPrefixes.some((p) => r.split(' ')[1]!.startsWith(p)));
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('the OpenAPI description', () => {
  it('describes every mounted /admin/api, /distributor/api and webhook route (add it to src/routeDocs.ts)', () => {
    expect(mounted.length).toBeGreaterThan(40);
    expect(mounted.filter((route) => !(route in routeDocs))).toEqual([]);
  });

  it('describes no route that is not mounted', () => {
    expect(Object.keys(routeDocs).filter((route) => !mounted.includes(route))).toEqual([]);
  });

  it('is served at /admin/api/openapi.json as OpenAPI 3.1, with request bodies from the zod schemas', async () => {
    const res = await request(app).get('/admin/api/openapi.json').expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(res.body.openapi).toBe('3.1.0');
    const put = res.body.paths['/admin/api/merchants/{id}/rules'].put;
    const rules = put.requestBody.content['application/json'].schema;
    expect(rules.properties.earn.properties.stepAmount).toMatchObject({ type: 'integer', minimum: 1 });
    expect(rules.properties.delayDays).toMatchObject({ type: 'integer', maximum: 3650 });
    expect(put.description).toContain('"delayDays": 30');
    expect(put.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    const webhook = res.body.paths['/webhooks/lightspeed/x/{merchantId}'].post;
    expect(Object.keys(webhook.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(res.body.paths['/admin/api/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['q', 'merchantId']);
  });

  it("documents the console's answers with the contract's schemas (src/contract/)", () => {
    const document = openApiDocument() as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>>;
    };
    const answer = (key: string) => {
      const [method, path] = key.split(' ') as [string, string];
      const responses = document.paths[path.replace(/:(\w+)/g, '{$1}')]![method.toLowerCase()]!.responses;
      const ok = Object.keys(responses).find((status) => status.startsWith('2'))!;
      return responses[ok]!.content?.['application/json']?.schema ?? {};
    };
    // The routes the console calls outside frequent buyer, insights and outbound events (their modules' work).
    const consoleRoutes = [
      'GET /admin/api/search',
      'GET /admin/api/merchants/:id/sales/:saleId',
      'POST /admin/api/merchants/:id/sales/:saleId/rewards',
      'GET /admin/api/merchants/:id/customers/:customerId',
      'GET /admin/api/merchants/:id/customers/:customerId/summary',
      'GET /admin/api/merchants/:id/customers/:customerId/history',
      'GET /admin/api/merchants/:id/customers/:customerId/sales',
      'POST /admin/api/merchants/:id/customers/:customerId/adjustments',
      'GET /admin/api/merchants/:id/rules',
      'PUT /admin/api/merchants/:id/rules',
      'GET /admin/api/merchants/:id/rules/versions',
      'POST /admin/api/merchants/:id/rules/preview',
      'GET /admin/api/merchants/:id/reference',
      'POST /admin/api/session',
      'GET /admin/api/session',
      'GET /admin/api/staff',
      'POST /admin/api/staff',
      'POST /admin/api/staff/:staffId/disable',
      'POST /admin/api/staff/:staffId/reset-password',
      'GET /admin/api/merchants',
      'GET /admin/api/merchants/:id/events',
      'POST /admin/api/merchants/:id/events/:eventId/replay',
      'POST /admin/api/merchants/:id/events/replay',
    ];
    expect(consoleRoutes.filter((key) => !routeDocs[key]?.response)).toEqual([]);
    expect(consoleRoutes.filter((key) => Object.keys(answer(key)).length === 0)).toEqual([]);
    expect(answer('GET /admin/api/search')).toMatchObject({ type: 'object', required: ['sales', 'customers'] });
    expect(answer('GET /admin/api/staff')).toMatchObject({ type: 'array' });
  });

  it('renders a reference page from files this service serves (no CDN)', async () => {
    const page = await request(app).get('/admin/api/docs').expect(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    const scripts = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBe(3);
    for (const asset of scripts) await request(app).get(`/admin/api/${asset}`).expect(200);
  });
});
