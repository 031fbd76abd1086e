import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import nock from 'nock';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';
import { launchBrowser, shoot } from './browser.js';

// The Rules and People pages in Debian's Chromium against the real service, PostgreSQL and Redis.
let ctx: TestContext;
let server: Server;
let base: string;
let workers: RunningWorkers;
let browser: Browser;

type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const WHOLESALE = 'group-wholesale';
const TREE = 'prod-cat-tree';
const PASSWORD = 'correct horse battery staple';

/** A wholesale customer's sale of one 30.00 cat tree: no points while wholesale is excluded. */
const wholesaleSale: Json = {
  ...closed,
  id: 'sale-w1',
  invoice_number: '3001',
  version: 5001,
  customer_id: 'cust-w1',
  customer: { ...(closed.customer as Json), id: 'cust-w1', customer_group_id: WHOLESALE, email: 'w1@example.com' },
  register_sale_products: [
    { id: 'lw1', product_id: TREE, quantity: 1, price: '30.00000', price_total: '30.00000', discount: '0', tax: '0', tax_total: '0', loyalty_value: '0' },
  ],
  register_sale_payments: [{ id: 'pw1', amount: 30, payment_type_id: 3, retailer_payment_type: { id: 'cc', name: 'Credit Card', payment_type_id: 3 } }],
};

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/console/`);
  await page.getByLabel(/^(Email|Courriel)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.getByRole('searchbox').or(page.getByRole('alert')).first().waitFor();
}

async function newPage(locale = 'en-CA'): Promise<Page> {
  return (await browser.newContext({ locale })).newPage();
}

async function noSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

beforeAll(async () => {
  ctx = await createTestContext();
  const app = createApp(ctx, routeTable(ctx));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  await createXMerchant(ctx.pool, { id: 'acme', name: 'Animalerie Acme', domainPrefix: 'acme', apiBaseUrl: 'http://rules-lightspeed.test' });
  await seedRefs(ctx.pool, 'acme', {
    categories: [
      ['dog', 'Dog', null],
      ['food', 'Food', 'dog'],
    ],
    segments: [[WHOLESALE, 'Wholesale']],
    products: [[TREE, null, false]],
  });
  await insertStaffUser(ctx.pool, { email: 'admin@acme.example', name: 'Alex Acme', password: PASSWORD, role: 'admin', merchantId: 'acme' });
  await insertStaffUser(ctx.pool, { email: 'viewer@acme.example', name: 'Vic Viewer', password: PASSWORD, role: 'viewer', merchantId: 'acme' });
  await insertStaffUser(ctx.pool, { email: 'root@platform.example', name: 'Pat Platform', password: PASSWORD, role: 'admin', merchantId: null });
  const admin = await ctx.token('admin');
  await request(server)
    .put('/admin/api/merchants/acme/rules')
    .set('Authorization', `Bearer ${admin}`)
    .send({ autoRewards: { enabled: true, startDate: '2026-01-01' }, customerSegments: { excluded: [WHOLESALE] } })
    .expect(201);
  workers = await startWorkers(ctx, { concurrency: 2 });
  await deliver(app, 'acme', wholesaleSale, { secret: SECRET }).expect(200);
  await waitFor(
    async () => (await ctx.pool.query(`SELECT count(*)::int AS n FROM sale_events WHERE processed_at IS NULL`)).rows[0].n === 0,
    20_000,
    'sale processed',
  );
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workers?.close(5_000);
  await new Promise((resolve) => server?.close(resolve));
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx?.cleanup();
});

describe('the Rules page', () => {
  it('a merchant admin edits the rules, sees the preview’s changed sales, saves, and reads the new version with its diff and their name', async () => {
    const page = await newPage();
    await signIn(page, 'admin@acme.example');
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByLabel('Wholesale').uncheck();
    await page.getByRole('button', { name: 'Preview over the last 30 days' }).click();
    const row = page.locator('[data-sale="sale-w1"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/3001[\s\S]*No points \(0 points\)[\s\S]*Credited \(30 points\)/);
    expect(await page.getByRole('heading', { name: 'Preview of the draft' }).locator('..').innerText()).toContain('1 customer affected');
    await shoot(page, 'rules-preview-en');
    await noSeriousAxeViolations(page);
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();
    const v2 = page.locator('[data-version="2"]');
    await v2.waitFor();
    // X-Series calls them customer groups (the series' own word, as the sale page says it).
    expect(await v2.innerText()).toMatch(/v2, by .*Alex Acme[\s\S]*Customer groups that do not earn: Wholesale → None/);
    expect(await page.getByRole('group', { name: 'Customer groups that do not earn' }).count()).toBe(1);
    const audit = await ctx.pool.query(`SELECT actor FROM audit_log WHERE action = 'rules.update' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0].actor).toContain('Alex Acme');
    // The same page in French.
    await page.getByRole('combobox', { name: /Language/ }).selectOption('fr');
    await page.getByRole('heading', { name: 'Historique des versions' }).waitFor();
    // French typography in the diff: a narrow no-break space before the colon; the zone named once.
    expect(await v2.innerText()).toContain('Groupes de clients qui ne cumulent pas\u202f: Wholesale → Aucun');
    expect(await page.getByTestId('time-zone').innerText()).toBe('Heures de America/Montreal, le fuseau horaire du marchand');
    await shoot(page, 'rules-fr');
    await noSeriousAxeViolations(page);
  });

  it('"Respect Lightspeed\'s loyalty switch" is on the form, off by default, and saved as a new version when turned on', async () => {
    const page = await newPage();
    await signIn(page, 'admin@acme.example');
    await page.goto(`${base}/console/merchants/acme/rules`);
    const option = page.getByLabel(/^Respect Lightspeed's loyalty switch/);
    await option.waitFor();
    expect(await option.isChecked()).toBe(false);
    await option.check();
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Saved as version \d+\./ })
      .waitFor();
    const saved = await ctx.pool.query(`SELECT version, document FROM rules_versions WHERE merchant_id = 'acme' ORDER BY version DESC LIMIT 1`);
    expect(saved.rows[0].document.respectLightspeedLoyalty).toBe(true);
    const entry = page.locator(`[data-version="${String(saved.rows[0].version)}"]`);
    await entry.waitFor();
    expect(await entry.innerText()).toContain("Respect Lightspeed's loyalty switch: No → Yes");
  });

  it('a viewer sees no edit control, and the server refuses the write anyway (403)', async () => {
    const page = await newPage();
    await signIn(page, 'viewer@acme.example');
    await page.goto(`${base}/console/merchants/acme/rules`);
    await page.getByRole('note').waitFor();
    expect(await page.getByRole('button', { name: 'Save as a new version' }).count()).toBe(0);
    expect(await page.getByLabel('Wholesale').isDisabled()).toBe(true);
    const status = await page.evaluate(
      async () =>
        (await fetch('/admin/api/merchants/acme/rules', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"delayDays": 5}' })).status,
    );
    expect(status).toBe(403);
    await shoot(page, 'rules-viewer-en');
  });
});

describe('the People page', () => {
  it('a platform admin adds a person, who can then sign in; a merchant admin has no such page and the API refuses them (403)', async () => {
    const page = await newPage();
    await signIn(page, 'root@platform.example');
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Email').fill('new.support@example.com');
    await page.getByLabel('Name').fill('Nora New');
    await page.getByLabel('Role').selectOption('support');
    // The merchant is chosen by its name from the list, never typed as an id.
    await page.getByLabel('Merchant (the person sees only it)').selectOption({ label: 'Animalerie Acme' });
    await page.getByLabel('Initial password (12 characters or more)').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'new.support@example.com can now sign in.' }).waitFor();
    await page.getByRole('cell', { name: 'Nora New' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Nora New' }).innerText()).toContain('Animalerie Acme');
    await shoot(page, 'people-en');
    await noSeriousAxeViolations(page);
    const audit = await ctx.pool.query(`SELECT actor FROM audit_log WHERE action = 'staff.create' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0].actor).toContain('Pat Platform');

    const newcomer = await newPage();
    await signIn(newcomer, 'new.support@example.com');
    await newcomer.getByRole('searchbox').waitFor();

    const merchantAdmin = await newPage();
    await signIn(merchantAdmin, 'admin@acme.example');
    expect(await merchantAdmin.getByRole('link', { name: 'People' }).count()).toBe(0);
    const status = await merchantAdmin.evaluate(async () => (await fetch('/admin/api/staff')).status);
    expect(status).toBe(403);
  });
});
