import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

// A person who types the host name, or who is on the queue board, finds the console.
let ctx: TestContext;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
});
afterAll(async () => ctx?.cleanup());

describe('the way to the console', () => {
  it('GET / redirects to the console instead of a JSON 404', async () => {
    const res = await request(app).get('/').expect(302);
    expect(res.headers.location).toBe('/console/');
  });

  it('the queue board links back to the console in its header', async () => {
    const token = await ctx.token('admin');
    const res = await request(app).get('/admin/queues/').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.text).toContain('Loyalty console');
    expect(res.text).toContain('/console/');
  });
});
