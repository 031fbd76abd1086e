import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import nock from 'nock';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDir } from '../../../src/consoleFiles/staticRoutes.js';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant, SECRET } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';
import { launchBrowser, shoot } from './browser.js';

// The console in a real browser (Debian's Chromium) against the real service, PostgreSQL and Redis.
let ctx: TestContext;
let server: Server;
let base: string;
let workers: RunningWorkers;
let browser: Browser;
let admin: string;

type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const WHOLESALE = 'group-wholesale';
const TREE = 'prod-cat-tree';
const RX_FOOD = 'prod-rx-food';
const KIBBLE = 'prod-kibble-unknown';
const API = 'http://console-lightspeed.test';
const PASSWORD = 'correct horse battery staple';

/** Each seed customer's family name: support finds them by it. */
const FAMILY = ['', 'Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin'];

/** A sale like the fixture: its own id, receipt, customer and lines. */
function sale(n: number, opts: { group?: string | null; products: string[]; returnFor?: string }): Json {
  const customer = {
    ...(closed.customer as Json),
    id: `cust-${n}`,
    customer_group_id: opts.group ?? null,
    email: `customer${n}@example.com`,
    first_name: 'Client',
    last_name: FAMILY[n],
  };
  const sign = opts.returnFor ? -1 : 1;
  return {
    ...closed,
    ...(opts.returnFor ? { return_for: opts.returnFor } : {}),
    id: `sale-${n}`,
    invoice_number: String(2000 + n),
    version: 1000 + n,
    customer_id: `cust-${n}`,
    customer,
    register_sale_products: opts.products.map((productId, i) => ({
      id: `l${n}-${i}`,
      product_id: productId,
      quantity: sign,
      price: '30.00000',
      price_total: sign > 0 ? '30.00000' : '-30.00000',
      discount: '0',
      tax: '0',
      tax_total: '0',
      loyalty_value: '0',
      ...(sign < 0 ? { is_return: true } : {}),
    })),
    register_sale_payments: [
      {
        id: `p${n}`,
        amount: sign * 30 * opts.products.length,
        payment_type_id: 3,
        retailer_payment_type: { id: 'cc', name: 'Credit Card', payment_type_id: 3 },
      },
    ],
  };
}

const settled = (merchantId: string) =>
  waitFor(
    async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = $1 AND processed_at IS NULL AND status NOT IN ('waiting', 'failed')`,
        [merchantId],
      );
      return rows[0].n === 0;
    },
    20_000,
    `inbox of ${merchantId} settled`,
  );

async function putRules(merchantId: string, rules: Json) {
  await request(server).put(`/admin/api/merchants/${merchantId}/rules`).set('Authorization', `Bearer ${admin}`).send(rules).expect(201);
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${base}/console/`);
  await page.getByLabel(/^(Email|Courriel)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  // Signed in (the search box) or refused (the alert): either way the request has finished.
  await page.getByRole('searchbox').or(page.getByRole('alert')).first().waitFor();
}

async function setLanguage(page: Page, lang: 'en' | 'fr') {
  await page.getByRole('combobox', { name: /Language|Langue/ }).selectOption(lang);
  await page.locator(`html[lang="${lang}"]`).waitFor();
}

/** A voided sale's page has no checklist items: it says once why the checklist does not apply. */
async function openSaleVoided(page: Page, receipt: string) {
  await page.goto(`${base}/console/?q=${receipt}`);
  await page.getByRole('link', { name: receipt, exact: true }).click();
  await page.getByTestId('checklist-na').waitFor();
}

async function openSale(page: Page, receipt: string) {
  await page.goto(`${base}/console/?q=${receipt}`);
  await page.getByRole('link', { name: receipt, exact: true }).click();
  await page.getByTestId('check-customer').waitFor();
}

/** Each page in its own browser context (its own cookies), as axe-core's Playwright builder needs. */
async function newPage(locale: string, timezoneId?: string): Promise<Page> {
  const context = await browser.newContext({ locale, ...(timezoneId ? { timezoneId } : {}) });
  return context.newPage();
}

async function noSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  expect(serious).toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(`${consoleDir}/index.html`)) throw new Error('the console is not built: `npm test` runs `npm run build:console` first');
  ctx = await createTestContext();
  const app = createApp(ctx, routeTable(ctx));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await ctx.token('admin');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');

  for (const id of ['acme', 'bobs']) {
    await createXMerchant(ctx.pool, { id, name: id === 'acme' ? 'Animalerie Acme' : "Bob's Pets", domainPrefix: id, apiBaseUrl: API });
    await seedRefs(ctx.pool, id, {
      categories: [
        ['dog', 'Dog', null],
        ['food', 'Food', 'dog'],
        ['rx', 'Prescription', 'food'],
      ],
      segments: [[WHOLESALE, 'Wholesale']],
      products: [
        [TREE, null, false],
        [RX_FOOD, 'rx', false],
      ],
    });
  }
  await insertStaffUser(ctx.pool, { email: 'support@example.com', name: 'Sam Support', password: PASSWORD, role: 'support', merchantId: null });
  await insertStaffUser(ctx.pool, { email: 'admin@acme.example', name: 'Alex Acme', password: PASSWORD, role: 'admin', merchantId: 'acme' });
  // The throttling test locks admin@acme.example out; the tests after it sign in as this admin.
  await insertStaffUser(ctx.pool, { email: 'manager@acme.example', name: 'Max Manager', password: PASSWORD, role: 'admin', merchantId: 'acme' });
  await insertStaffUser(ctx.pool, { email: 'viewer@acme.example', name: 'Vic Viewer', password: PASSWORD, role: 'viewer', merchantId: 'acme' });
  await insertStaffUser(ctx.pool, { email: 'admin@bobs.example', name: 'Bea Bob', password: PASSWORD, role: 'admin', merchantId: 'bobs' });

  workers = await startWorkers(ctx, { concurrency: 2 });
  // The seed's four causes, decided by the real pipeline. Rules v1: wholesale excluded, prescriptions exempt, 30 days' delay.
  await putRules('acme', {
    autoRewards: { enabled: true, startDate: '2026-01-01' },
    customerSegments: { excluded: [WHOLESALE] },
    exemptions: { categoryIds: ['rx'] },
    delayDays: 30,
  });
  await deliver(createApp(ctx, routeTable(ctx)), 'acme', sale(1, { group: WHOLESALE, products: [TREE] }), { secret: SECRET }).expect(200);
  await deliver(createApp(ctx, routeTable(ctx)), 'acme', sale(2, { products: [RX_FOOD] }), { secret: SECRET }).expect(200);
  await deliver(createApp(ctx, routeTable(ctx)), 'acme', sale(4, { products: [TREE] }), { secret: SECRET }).expect(200);
  await settled('acme');
  // Rules v2: autorewards off.
  await putRules('acme', { autoRewards: { enabled: false }, delayDays: 0 });
  await deliver(createApp(ctx, routeTable(ctx)), 'acme', sale(3, { products: [TREE] }), { secret: SECRET }).expect(200);
  await deliver(createApp(ctx, routeTable(ctx)), 'bobs', sale(9, { products: [TREE] }), { secret: SECRET }).expect(200);
  await settled('acme');
  await settled('bobs');
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

const causes = [
  {
    receipt: '2001',
    check: 'customer',
    status: 'fail',
    // X-Series calls them customer groups (R-Series: customer types): the series' own word.
    en: 'The customer group “Wholesale” is excluded from points by the rules.',
    fr: 'Le groupe de clients « Wholesale » est exclu des points par les règles.',
  },
  {
    receipt: '2002',
    check: 'exemptions',
    status: 'fail',
    // The line's product and its own category path, and the rule's category.
    en: 'Product without a name in Lightspeed (id prod-rx-food) (Dog / Food / Prescription): exempt through the category Dog / Food / Prescription',
    fr: 'Produit sans nom dans Lightspeed (ID prod-rx-food) (Dog / Food / Prescription) : exempté par la catégorie Dog / Food / Prescription',
  },
  {
    receipt: '2003',
    check: 'rewardsTrigger',
    status: 'fail',
    en: 'Autorewards are off and nobody pressed the rewards button for this sale.',
    fr: 'Les récompenses automatiques sont désactivées et personne n’a appuyé sur le bouton de récompenses pour cette vente.',
  },
  {
    receipt: '2004',
    check: 'delay',
    status: 'wait',
    en: 'Rewarded after 30 days: the points become available on',
    fr: 'Récompensé après 30 jours : les points seront disponibles le',
  },
] as const;

describe('the console', () => {
  it('support signs in, finds each seed cause by its receipt number and reads the right ✗, in English and in French', async () => {
    const page = await newPage('en-CA', 'Asia/Tokyo');
    await signIn(page, 'support@example.com');
    await page.getByRole('searchbox').waitFor();
    await shoot(page, 'find-en');
    await noSeriousAxeViolations(page);
    for (const lang of ['en', 'fr'] as const) {
      await setLanguage(page, lang);
      for (const cause of causes) {
        await openSale(page, cause.receipt);
        const item = page.getByTestId(`check-${cause.check}`);
        await expect.poll(() => item.getAttribute('data-status')).toBe(cause.status);
        await expect.poll(() => item.innerText()).toContain(cause[lang]);
        // The other causes of the FAQ pass for this sale; a sale that earned nothing has no delay to wait for.
        const statuses = await page
          .locator('[data-testid^="check-"]')
          .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')}=${e.getAttribute('data-status')}`));
        const earnedNothing = cause.check !== 'delay';
        expect(statuses.filter((s) => !s.startsWith(`check-${cause.check}=`) && !s.endsWith('=pass') && !(earnedNothing && s === 'check-delay=na'))).toEqual(
          [],
        );
        if (earnedNothing) {
          expect(await page.getByTestId('check-delay').innerText()).toContain(
            lang === 'en' ? 'Does not apply: the sale earned no points' : 'Sans objet : la vente n’a rapporté aucun point',
          );
        }
        // Every date of the page in the merchant's time zone (the browser runs in Tokyo's), the zone named once.
        expect(await page.getByTestId('time-zone').innerText()).toContain('America/Montreal');
        const created = (
          await ctx.pool.query(`SELECT created_at FROM ledger_entries WHERE merchant_id = 'acme' AND sale_id = $1 ORDER BY id LIMIT 1`, [
            `sale-${Number(cause.receipt) - 2000}`,
          ])
        ).rows[0]?.created_at as Date | undefined;
        if (created) {
          const expected = await page.evaluate(
            ([iso, l]) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Montreal' }).format(new Date(iso)),
            [created.toISOString(), lang] as const,
          );
          expect(await page.locator('section[aria-labelledby="points"] tbody tr').first().innerText()).toContain(expected);
        }
        // A product the reference cache has no name for reads as such, with its id: never a bare id.
        const products = await page.getByTestId('sale-lines').locator('tbody tr td:first-child').allInnerTexts();
        expect(products.filter((p) => /^prod-[\w-]+$/.test(p.trim()))).toEqual([]);
        for (const p of products.filter((p) => p.includes('prod-')))
          expect(p).toContain(lang === 'en' ? 'Product without a name in Lightspeed (id prod-' : 'Produit sans nom dans Lightspeed (ID prod-');
        await shoot(page, `sale-${cause.receipt}-${lang}`);
      }
    }
    await noSeriousAxeViolations(page);
    await page.context().close();
  }, 120_000);

  it('the language chosen is remembered on the next visit', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, 'support@example.com');
    await setLanguage(page, 'fr');
    await page.reload();
    await page.getByRole('heading', { name: 'Trouver une vente ou un client' }).waitFor();
    await context.close();
  });

  it('a merchant-scoped person cannot see another merchant by URL or by search (404): the same translated page as an unknown sale', async () => {
    const page = await newPage('en-CA');
    await signIn(page, 'admin@bobs.example');
    await page.getByRole('searchbox').waitFor();
    await page.goto(`${base}/console/?q=2001`);
    await page.getByText('Nothing matches “2001”').waitFor();
    await setLanguage(page, 'fr');
    await page.goto(`${base}/console/merchants/acme/sales/sale-1`);
    const card = page.getByTestId('sale-not-received');
    await card.waitFor();
    expect(await card.innerText()).toContain('Cette vente n’a pas été reçue.');
    expect(await page.locator('body').innerText()).not.toContain('not found');
    // A refusal the console shows is the catalogue's sentence for its code, never the server's English.
    await page.goto(`${base}/console/merchants/acme/rules`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toBe('Introuvable : cela n’existe pas, ou ne fait pas partie de ce que vous pouvez voir.');
    const status = await page.evaluate(async () => (await fetch('/admin/api/merchants/acme/sales/sale-1')).status);
    expect(status).toBe(404);
    await shoot(page, 'scoped-404-en');
    await page.context().close();
  });

  it('a viewer sees no action, and the server refuses the write anyway (403)', async () => {
    const page = await newPage('en-CA');
    await signIn(page, 'viewer@acme.example');
    await openSale(page, '2003');
    expect(await page.getByRole('button', { name: 'Request rewards' }).count()).toBe(0);
    const forged = await page.evaluate(
      async () =>
        (await fetch('/admin/api/merchants/acme/sales/sale-3/rewards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    );
    expect(forged).toBe(403);
    await page.context().close();
  });

  it('support requests rewards for a sale that earned nothing for a cause since fixed: the server evaluates it again and credits it once', async () => {
    const page = await newPage('en-CA');
    await signIn(page, 'support@example.com');
    // Sale 2001 earned nothing for its customer type under rules v1; the rules in force no longer exclude it.
    await openSale(page, '2001');
    expect(await page.getByTestId('check-customer').getAttribute('data-status')).toBe('fail');
    const button = page.getByRole('button', { name: 'Request rewards' });
    await button.click();
    await page.getByRole('status').filter({ hasText: 'Rewards requested' }).waitFor();
    await waitFor(
      async () => (await ctx.pool.query(`SELECT points FROM sale_state WHERE merchant_id = 'acme' AND sale_id = 'sale-1'`)).rows[0]?.points === 30,
      15_000,
      'sale-1 credited',
    );
    // The page follows the re-evaluation by itself; once the sale is credited, "being re-evaluated" is gone.
    await expect.poll(() => page.getByTestId('verdict').innerText(), { timeout: 20_000 }).toBe('30 points credited.');
    expect(await page.getByRole('status').first().innerText()).toBe('');
    await page.reload();
    await expect.poll(() => page.getByTestId('check-customer').getAttribute('data-status')).toBe('pass');
    // Credited: nothing more to ask for.
    expect(await button.count()).toBe(0);
    const { rows } = await ctx.pool.query(
      `SELECT count(*)::int AS n, sum(points)::int AS points FROM ledger_entries WHERE merchant_id = 'acme' AND sale_id = 'sale-1'`,
    );
    expect(rows[0]).toEqual({ n: 1, points: 30 });
    await page.context().close();
  }, 60_000);

  it('a failed event is replayed from the Operations page and credited once', async () => {
    // The product lookup is refused (a missing scope, say): the event fails, to be tried again in an hour.
    nock(API).get(`/api/2.0/products/${KIBBLE}`).reply(403, {});
    await deliver(createApp(ctx, routeTable(ctx)), 'acme', sale(5, { products: [KIBBLE] }), { secret: SECRET }).expect(200);
    const failed = await waitFor(
      async () => (await ctx.pool.query(`SELECT id FROM sale_events WHERE sale_id = 'sale-5' AND status = 'failed'`)).rows[0],
      15_000,
      'sale-5 failed',
    );
    // Autorewards on again, and the cause fixed in Lightspeed.
    await putRules('acme', { autoRewards: { enabled: true, startDate: '2026-01-01' } });
    nock(API)
      .persist()
      .get(`/api/2.0/products/${KIBBLE}`)
      .reply(200, { data: { id: KIBBLE, name: 'Kibble', product_category: { id: 'dog' } } });

    const page = await newPage('en-CA');
    await signIn(page, 'support@example.com');
    await page.goto(`${base}/console/merchants/acme/operations`);
    const row = page.getByTestId(`failed-${failed.id}`);
    await row.waitFor();
    await shoot(page, 'operations-en');
    await noSeriousAxeViolations(page);
    await row.getByRole('button', { name: /Replay/ }).click();
    await page.getByRole('status').waitFor();
    await waitFor(
      async () => (await ctx.pool.query(`SELECT processed_at FROM sale_events WHERE id = $1`, [failed.id])).rows[0].processed_at,
      15_000,
      'replayed',
    );
    const { rows } = await ctx.pool.query(
      `SELECT count(*)::int AS n, sum(points)::int AS points FROM ledger_entries WHERE merchant_id = 'acme' AND sale_id = 'sale-5'`,
    );
    expect(rows[0]).toEqual({ n: 1, points: 30 });
    await page.context().close();
    nock.cleanAll();
  }, 60_000);

  it('a cross-site POST with the session cookie is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'support@example.com');
    await page.getByRole('searchbox').waitFor();
    const res = await context.request.post(`${base}/admin/api/merchants/acme/sales/sale-3/rewards`, {
      headers: { Origin: 'https://evil.example', 'content-type': 'application/json' },
      data: {},
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('CSRF_REFUSED');
    const same = await context.request.post(`${base}/admin/api/merchants/acme/sales/sale-3/rewards`, {
      headers: { Origin: base, 'content-type': 'application/json' },
      data: {},
    });
    expect(same.status()).toBeLessThan(300);
    await context.close();
  });

  it('the sixth wrong password in a row is throttled, with a clear message, and says nothing of whether the email exists', async () => {
    const page = await newPage('en-CA');
    const messages: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await signIn(page, 'admin@acme.example', `wrong password ${i}`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      messages.push(await alert.innerText());
    }
    expect(messages.slice(0, 5).every((m) => m === 'The email or the password is not right.')).toBe(true);
    expect(messages[5]).toMatch(/Too many failed attempts/);
    await shoot(page, 'sign-in-throttled-en');
    // An unknown email gets the same answer as a wrong password.
    await signIn(page, 'nobody@example.com', 'whatever password');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toBe('The email or the password is not right.');
    await noSeriousAxeViolations(page);
    await page.context().close();
  });

  it('support finds a customer by family name; the Customer page shows pending points with their release date; an admin adjusts with a required reason', async () => {
    const page = await newPage('fr-CA');
    await signIn(page, 'support@example.com');
    // The start of the family name finds the customer.
    await page.goto(`${base}/console/?q=${encodeURIComponent('Côt')}`);
    await page.getByRole('link', { name: 'Client Côté' }).click();
    await page.getByTestId('pending-list').waitFor();
    expect(await page.getByTestId('pending-list').innerText()).toMatch(/30 points libérés le \d{1,2} \S+ 2026/);
    expect(await page.getByTestId('pending').innerText()).toBe('30');
    // Support reads; only admins adjust.
    expect(await page.getByRole('form', { name: 'Ajuster les points' }).count()).toBe(0);
    await shoot(page, 'customer-fr');
    await noSeriousAxeViolations(page);
    await page.context().close();

    const admin = await newPage('en-CA');
    await signIn(admin, 'manager@acme.example');
    await admin.goto(`${base}/console/merchants/acme/customers/cust-4`);
    const form = admin.getByRole('form', { name: 'Adjust points' });
    await form.waitFor();
    // The reason is required by the form and by the server.
    const noReason = await admin.evaluate(
      async () =>
        (
          await fetch('/admin/api/merchants/acme/customers/cust-4/adjustments', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"points": 5}',
          })
        ).status,
    );
    expect(noReason).toBe(400);
    await form.getByLabel('Points (negative to remove)').fill('5');
    await form.getByRole('button', { name: 'Adjust' }).click();
    expect(await form.getByLabel('Reason (required)').evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
    await form.getByLabel('Reason (required)').fill('Goodwill for a late delivery');
    await form.getByRole('button', { name: 'Adjust' }).click();
    await admin.getByRole('status').filter({ hasText: 'Balance adjusted by 5.' }).waitFor();
    await expect.poll(() => admin.getByTestId('available').innerText()).toBe('5');
    await admin.getByRole('cell', { name: /Goodwill for a late delivery/ }).waitFor();
    const audit = await ctx.pool.query(`SELECT actor, after FROM audit_log WHERE action = 'customer.adjust' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0].actor).toContain('Max Manager');
    expect(audit.rows[0].after).toEqual({ points: 5, reason: 'Goodwill for a late delivery' });
    await shoot(admin, 'customer-admin-en');
    await noSeriousAxeViolations(admin);
    await admin.context().close();
  }, 60_000);

  it('a sale never received: the page says so, shows the last webhook and poll, and offers admins a backfill of that day', async () => {
    const page = await newPage('en-CA', 'Asia/Tokyo');
    await signIn(page, 'manager@acme.example');
    await page.goto(`${base}/console/merchants/acme/sales/never-seen-1`);
    const card = page.getByTestId('sale-not-received');
    await card.waitFor();
    expect(await card.innerText()).toContain('This sale has not been received.');
    expect(await page.getByTestId('last-webhook').innerText()).toMatch(/2026/);
    expect(await page.getByTestId('last-poll').innerText()).toBe('never');
    await page.getByLabel('Re-read this day from Lightspeed').fill('2026-11-20');
    await page.getByRole('button', { name: 'Backfill the day' }).click();
    await page.getByRole('status').filter({ hasText: 'Backfill of 2026-11-20 queued' }).waitFor();
    const audit = await ctx.pool.query(`SELECT actor, after FROM audit_log WHERE action = 'backfill.request' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0].actor).toContain('Max Manager');
    expect(Date.parse(audit.rows[0].after.to) - Date.parse(audit.rows[0].after.from)).toBe(86_400_000);
    // The store's day: midnight to midnight in Montréal (UTC−5 in November), whatever the browser's zone.
    expect(audit.rows[0].after.from).toBe('2026-11-20T05:00:00.000Z');
    await shoot(page, 'sale-not-received-en');
    await noSeriousAxeViolations(page);
    await page.context().close();
    // Support sees the same facts and no backfill.
    const support = await newPage('en-CA');
    await signIn(support, 'support@example.com');
    await support.goto(`${base}/console/merchants/acme/sales/never-seen-1`);
    await support.getByTestId('sale-not-received').waitFor();
    expect(await support.getByRole('button', { name: 'Backfill the day' }).count()).toBe(0);
    await support.context().close();
  });

  it('the sale page says where each version came from (webhook, rewards button) and links each decision to its rules version', async () => {
    const page = await newPage('en-CA');
    await signIn(page, 'support@example.com');
    await openSale(page, '2003');
    // The rewards button was pressed for sale 2003 (by the cross-site test's same-origin request, or now).
    const button = page.getByRole('button', { name: 'Request rewards' });
    if (await button.count()) await button.click();
    // Its re-evaluation (autorewards are on again since the replay test) credits it; read the page once it has,
    // so that no reload the button scheduled is still pending when the test moves on.
    await waitFor(
      async () => (await ctx.pool.query(`SELECT points FROM sale_state WHERE merchant_id = 'acme' AND sale_id = 'sale-3'`)).rows[0]?.points > 0,
      15_000,
      'sale-3 re-evaluated',
    );
    await page.reload();
    await page.getByTestId('version-button').waitFor();
    // A request by a person is a row of its own kind: who asked sits in one cell, not under State.
    expect(await page.getByTestId('version-button').innerText()).toMatch(/Rewards requested by .+ \(console or API\)/);
    expect(await page.getByTestId('version-button').locator('td').count()).toBe(2);
    expect(await page.getByTestId('version-1003').innerText()).toMatch(/webhook[\s\S]*1003[\s\S]*done/);
    await shoot(page, 'sale-versions-en');
    const link = page.getByRole('link', { name: 'Decided with rules version 2' }).first();
    await link.click();
    await page.waitForURL(/\/console\/merchants\/acme\/rules#v2$/);
    await page.locator('#v2').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('v2');
    await page.context().close();
  });

  it('a voided sale says once why the checklist does not apply, and how many points the void reversed', async () => {
    await putRules('acme', { autoRewards: { enabled: true, startDate: '2026-01-01' }, delayDays: 0 });
    await deliver(createApp(ctx, routeTable(ctx)), 'acme', sale(6, { products: [TREE, TREE] }), { secret: SECRET }).expect(200);
    await settled('acme');
    await deliver(
      createApp(ctx, routeTable(ctx)),
      'acme',
      { ...sale(6, { products: [TREE, TREE] }), status: 'VOIDED', version: 3006 },
      { secret: SECRET },
    ).expect(200);
    await settled('acme');
    const page = await newPage('en-CA');
    await signIn(page, 'support@example.com');
    await openSaleVoided(page, '2006');
    expect(await page.getByTestId('verdict').innerText()).toBe('60 points of this sale were reversed.');
    const na = page.getByTestId('checklist-na');
    expect(await na.innerText()).toBe('The checklist does not apply to this sale: A void reversed the points of the sale.');
    expect(await page.locator('[data-testid^="check-"]').count()).toBe(0);
    // The lines of the sale: product, category path, amount, and the points or why none.
    expect(await page.getByTestId('sale-lines').innerText()).toMatch(/prod-cat-tree[\s\S]*30\.00/);
    await shoot(page, 'sale-voided-en');
    await page.context().close();
  }, 60_000);

  it('on an R-Series store the cause says "customer type", and a version reads as the update time it is', async () => {
    await createRMerchant(ctx.pool, { id: 'rex', name: 'Rex Pets', timezone: 'America/Vancouver' });
    await seedRefs(ctx.pool, 'rex', { segments: [['type-staff', 'Staff']] });
    const version = Date.parse('2026-11-30T18:05:00Z');
    const { rows } = await ctx.pool.query(
      `INSERT INTO sale_events (merchant_id, sale_id, version, source, payload, status, processed_at, receipt) VALUES ('rex', 'r-1', $1, 'poll', '{}', 'done', now(), '3001') RETURNING id`,
      [version],
    );
    const decision = {
      saleId: 'r-1',
      saleVersion: version,
      rulesVersion: 1,
      status: 'none',
      points: 0,
      availableAt: null,
      base: 3000,
      customerId: 'rc-1',
      returnFor: null,
      lines: [{ lineId: 'r1', productId: null, quantity: 1, net: 3000, eligible: 3000, exemptBy: null, points: 0 }],
      reasons: [{ code: 'CUSTOMER_SEGMENT_EXCLUDED', message: 'customer type excluded', data: { segmentId: 'type-staff' } }],
    };
    await ctx.pool.query(
      `INSERT INTO decisions (merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision)
       VALUES ('rex', 'r-1', $1, $2, 1, 'none', 0, true, 'rc-1', $3)`,
      [version, rows[0].id, JSON.stringify(decision)],
    );
    const page = await newPage('fr-CA');
    await signIn(page, 'support@example.com');
    await setLanguage(page, 'fr');
    await page.goto(`${base}/console/merchants/rex/sales/r-1`);
    await page.getByTestId('check-customer').waitFor();
    expect(await page.getByTestId('check-customer').innerText()).toContain('Le type de client «\u202fStaff\u202f» est exclu des points par les règles.');
    expect(await page.getByTestId('time-zone').innerText()).toContain('America/Vancouver');
    const updated = await page.evaluate(
      (v) => new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Vancouver' }).format(new Date(v)),
      version,
    );
    expect(await page.getByTestId(`version-${version}`).innerText()).toContain(`mise à jour du ${updated}`);
    expect(await page.getByTestId(`version-${version}`).innerText()).not.toContain(String(version));
    // The decision reads its version the same way.
    expect(await page.locator('[data-testid^="decision-"]').first().innerText()).toContain(`mise à jour du ${updated}`);
    expect(await page.locator('[data-testid^="decision-"]').first().innerText()).not.toContain(String(version));
    await shoot(page, 'sale-r-fr');
    await setLanguage(page, 'en');
    expect(await page.getByTestId('check-customer').innerText()).toContain('The customer type “Staff” is excluded from points by the rules.');
    await page.context().close();
  });

  it('returns and their original sale link to each other', async () => {
    await deliver(createApp(ctx, routeTable(ctx)), 'acme', sale(7, { products: [TREE] }), { secret: SECRET }).expect(200);
    await settled('acme');
    await deliver(
      createApp(ctx, routeTable(ctx)),
      'acme',
      {
        ...sale(8, { products: [TREE], returnFor: 'sale-7' }),
        customer_id: 'cust-7',
        customer: { ...(closed.customer as Json), id: 'cust-7', customer_group_id: null, first_name: 'Client', last_name: FAMILY[7] },
      },
      { secret: SECRET },
    ).expect(200);
    await settled('acme');
    const page = await newPage('en-CA');
    await signIn(page, 'support@example.com');
    await openSale(page, '2007');
    const related = page.getByTestId('sale-related');
    await related.waitFor();
    expect(await related.innerText()).toContain('Returned by Sale 2008');
    await related.getByRole('link', { name: 'Sale 2008' }).click();
    await page.getByRole('heading', { name: 'Sale 2008', level: 1 }).waitFor();
    expect(await page.getByTestId('sale-related').innerText()).toContain('This sale returns Sale 2007');
    await shoot(page, 'sale-return-en');
    await page.getByTestId('sale-related').getByRole('link', { name: 'Sale 2007' }).click();
    await page.getByRole('heading', { name: 'Sale 2007', level: 1 }).waitFor();
    await noSeriousAxeViolations(page);
    await page.context().close();
  }, 60_000);

  it('the queue dashboard opens with the console session: read-only for support, and a sale job is named by merchant, sale and receipt', async () => {
    const page = await newPage('en-CA');
    await page.goto(`${base}/admin/queues/`);
    // No session: the console's sign-in, which comes back to the board.
    await page.waitForURL(/\/console\/\?next=/);
    await page.getByLabel('Email').fill('support@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/queues\/$/);
    const queues = await page.evaluate(
      async () =>
        (await (await fetch('/admin/queues/api/queues?activeQueue=sales&status=completed&page=1&jobsPerPage=50')).json()) as {
          queues: Array<{ name: string; readOnlyMode: boolean; jobs: Array<{ name: string }> }>;
        },
    );
    expect(queues.queues.every((q) => q.readOnlyMode)).toBe(true);
    const names = queues.queues.find((q) => q.name === 'sales')!.jobs.map((j) => j.name);
    expect(names).toContain('sale acme sale-1 #2001');
    await page.locator('#root *').first().waitFor();
    await shoot(page, 'queues-support-en');
    await page.context().close();
  });

  it('every other page passes the accessibility check too (Merchants, People)', async () => {
    const page = await newPage('en-CA');
    await signIn(page, 'support@example.com');
    await page.goto(`${base}/console/merchants`);
    await page.getByRole('heading', { name: 'Merchants' }).waitFor();
    await page.getByRole('link', { name: 'Animalerie Acme' }).waitFor();
    await shoot(page, 'merchants-en');
    await noSeriousAxeViolations(page);
    await page.context().close();
  });
});
