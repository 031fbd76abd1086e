import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDir } from '../../../src/consoleFiles/staticRoutes.js';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { artifact, launchBrowser } from '../console/browser.js';

/**
 * Issue 23 item 6: no hardening headers (a page elsewhere could frame the signed-in Rules page with its
 * Save button), and bull-board's page loaded Google Fonts. Checked on the headers, then in Chromium: the
 * console and the board still work under the policy, with no violation and no request to another origin.
 */
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let server: Server;
let base: string;
let browser: Browser | undefined;
const PASSWORD = 'security headers password';

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  if (!existsSync(`${consoleDir}/index.html`)) throw new Error('the console is not built: `npm test` runs `npm run build:console` first');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  ctx = await createTestContext({ PUBLIC_URL: base });
  app = createApp(ctx, routeTable(ctx));
  await insertStaffUser(ctx.pool, { email: 'admin@example.com', name: 'Admin', password: PASSWORD, role: 'admin', merchantId: null });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await ctx.cleanup();
});

describe('browser hardening headers', () => {
  it.each(['/console/', '/console/merchants/acme/rules', '/admin/queues/', '/admin/api/merchants', '/healthz'])('%s', async (path) => {
    const res = await request(app)
      .get(path)
      .set('Authorization', `Bearer ${await ctx.token('admin')}`);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/(^|;)script-src 'self'(;|$)/);
    expect(csp).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it("bull-board's page names nothing on another origin (no Google Fonts)", async () => {
    const res = await request(app)
      .get('/admin/queues/')
      .set('Authorization', `Bearer ${await ctx.token('admin')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('static/js/');
    expect(res.text).not.toMatch(/fonts\.googleapis|(src|href)="https?:\/\//);
  });

  it('the console and bull-board still work in Chromium under the policy: no violation, nothing fetched from elsewhere', async () => {
    browser = await launchBrowser();
    const login = await request(app).post('/admin/api/session').set('Origin', base).send({ email: 'admin@example.com', password: PASSWORD });
    expect(login.status).toBe(200);
    const [name, value] = login.headers['set-cookie']![0]!.split(';')[0]!.split('=');
    const context = await browser.newContext();
    await context.addCookies([{ name: name!, value: value!, url: base }]);
    const page = await context.newPage();
    const violations: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) elsewhere.push(r.url());
    });

    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.screenshot({ path: artifact('csp-console') });

    await page.goto(`${base}/admin/queues/`);
    await page.getByText('sales', { exact: false }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: artifact('csp-bull-board') });

    expect(violations).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  }, 90_000);
});
