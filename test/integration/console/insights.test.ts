import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import nock from 'nock';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { runDetectorPass } from '../../../src/insights/alerts/detectorPass.js';
import { routeTable } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';
import { artifact, launchBrowser, shoot } from './browser.js';

// The Insights page in Debian's Chromium, on sales sent through the signed webhook and the workers.
let ctx: TestContext;
let server: Server;
let base: string;
let workers: RunningWorkers;
let browser: Browser;

type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const PASSWORD = 'correct horse battery staple';
const PRODUCTS = ['0adaafb3-6583-11e5-fb60-050b7e8f0a01', '0adaafb3-6583-11e5-fb60-050b7e8f0a02'];

/** Sale n of the closed fixture (49 points for Jane), rung on `register` by `cashier`, `customer` attached or not, `daysAgo`. */
function sale(n: number, register: string, cashier: string, customer: boolean, daysAgo: number): Json {
  return {
    ...closed,
    id: `sale-${n}`,
    invoice_number: String(4000 + n),
    version: 7000 + n,
    register_id: register,
    user_id: cashier,
    sale_date: new Date(Date.now() - daysAgo * 86_400_000 - 3_600_000).toISOString(),
    ...(customer ? {} : { customer: null, customer_id: null }),
  };
}

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/console/`);
  await page.getByLabel(/^(Email|Courriel)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.getByRole('searchbox').or(page.getByRole('alert')).first().waitFor();
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
  await createXMerchant(ctx.pool, { id: 'acme', name: 'Animalerie Acme', domainPrefix: 'acme', apiBaseUrl: 'http://insights-lightspeed.test' });
  await seedRefs(
    ctx.pool,
    'acme',
    // The second product's name as the reference cache stores it: figure 5 names it, not its id.
    {
      segments: [['0adaafb3-6583-11e5-fb60-050b7e8c0001', 'Retail']],
      products: [
        [PRODUCTS[0]!, null, false],
        [PRODUCTS[1]!, null, false, undefined, 'Croquettes 10 kg'],
      ],
    },
    { nameLists: false },
  );
  // The names of cashiers, registers and outlets, read by the worker when a sale names one it does not
  // know: Lightspeed lists Ann and register 1, not Bob nor register 2 (shown as "Unknown … (id …)").
  const list = (data: Json[]) => ({ data: data.map((d, i) => ({ ...d, version: i + 1 })), version: { min: 1, max: data.length } });
  nock('http://insights-lightspeed.test')
    .get('/api/2.0/users')
    .query({ after: 0 })
    .reply(200, list([{ id: 'ann', display_name: 'Ann Lee', email: 'ann@acme.example' }]))
    .get('/api/2.0/registers')
    .query({ after: 0 })
    .reply(200, list([{ id: 'reg-1', name: 'Front counter' }]))
    .get('/api/2.0/outlets')
    .query({ after: 0 })
    .reply(200, list([{ id: String(closed.outlet_id), name: 'Plateau' }]))
    .get(/\/api\/2\.0\/(users|registers|outlets)/)
    .times(3)
    .query(true)
    .reply(200, { data: [] });
  await insertStaffUser(ctx.pool, { email: 'viewer@acme.example', name: 'Vic Viewer', password: PASSWORD, role: 'viewer', merchantId: 'acme' });
  const admin = await ctx.token('admin');
  await request(server)
    .put('/admin/api/merchants/acme/rules')
    .set('Authorization', `Bearer ${admin}`)
    // The croquettes (25.40 of each sale) are exempt: each sale with a customer earns 24 instead of 49.
    .send({ autoRewards: { startDate: '2026-01-01' }, exemptions: { productIds: [PRODUCTS[1]] } })
    .expect(201);
  workers = await startWorkers(ctx, { concurrency: 2 });
  // Register 2's cashier never attaches a customer; register 1's always does.
  const sales = [
    sale(1, 'reg-1', 'ann', true, 0),
    sale(2, 'reg-1', 'ann', true, 1),
    sale(3, 'reg-2', 'bob', false, 1),
    sale(4, 'reg-2', 'bob', false, 2),
    sale(5, 'reg-1', 'ann', true, 3),
  ];
  for (const s of sales) await deliver(app, 'acme', s, { secret: SECRET }).expect(200);
  await waitFor(
    async () => (await ctx.pool.query(`SELECT count(*)::int AS n FROM insight_sales WHERE merchant_id = 'acme'`)).rows[0].n === sales.length,
    30_000,
    'sales decided',
  );
  // Small store: alert from 2 sales on, so register 2 (no customer on 2 of 2 sales) opens an alert.
  await request(server).put('/admin/api/merchants/acme/alert-settings').set('Authorization', `Bearer ${admin}`).send({ minSales: 2 }).expect(200);
  await runDetectorPass(ctx.pool);
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

describe('the Insights page', () => {
  it('in English: earning rate, why not, attach rate worst first, the alert; a figure leads to its sales and a sale to its why page', async () => {
    const page = await (await browser.newContext({ locale: 'en-CA', viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, 'viewer@acme.example');
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { name: 'Why sales did not earn' }).waitFor();
    const whyNot = page.getByRole('table', { name: 'Why sales did not earn' });
    expect(await whyNot.innerText()).toContain('No customer attached');
    const byRegister = await page.getByRole('table', { name: 'By register' }).innerText();
    // Worst first: register 2 (0 of 2) before register 1 (3 of 3).
    expect(byRegister.indexOf('Unknown register (id reg-2)')).toBeLessThan(byRegister.indexOf('Front counter'));
    expect(byRegister).toMatch(/Unknown register \(id reg-2\)\s+2\s+0\s+0\s*%/);
    const byCashier = await page.getByRole('table', { name: 'By cashier' }).innerText();
    expect(byCashier.indexOf('Unknown cashier (id bob)')).toBeLessThan(byCashier.indexOf('Ann Lee'));
    expect(await page.getByRole('table', { name: 'By outlet' }).innerText()).toContain('Plateau');
    expect(await page.getByText(/Outstanding now: 72 points/).count()).toBe(1);
    // Figure 5: the croquettes' exemption withheld 25 points on each of the 3 sales with a customer (none on register 2's).
    const withheld = page.getByRole('table', { name: 'Exemptions, most points withheld first' });
    expect(await withheld.innerText()).toMatch(/Croquettes 10 kg\s+Product\s+75\s+3/);
    expect(await withheld.innerText()).not.toContain(PRODUCTS[1]);
    expect(await page.getByText('Withheld in this period: 75 points.').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Points withheld by exemptions' }).getByRole('columnheader', { name: 'Croquettes 10 kg' }).count()).toBe(1);
    expect(await page.getByText('Register reg-2 attached a customer to 0% of 2 sales in the last 7 days.', { exact: false }).count()).toBe(1);
    await page.screenshot({ path: artifact('insights-en'), fullPage: true });
    await noSeriousAxeViolations(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: artifact('insights-en-390'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('table', { name: 'By register' }).getByRole('link', { name: 'Unknown register (id reg-2)' }).click();
    await page.getByRole('heading', { name: /^Sales — .*Unknown register \(id reg-2\)/ }).waitFor();
    const list = await page.getByRole('table').innerText();
    expect(list).toContain('Unknown cashier (id bob)');
    await page.screenshot({ path: artifact('insights-sales-en'), fullPage: true });
    expect(list).toContain('sale-3');
    expect(list).toContain('sale-4');
    expect(list).not.toContain('sale-1');
    await noSeriousAxeViolations(page);
    await page.getByRole('link', { name: 'sale-3' }).click();
    await page.waitForURL(/\/sales\/sale-3$/);

    // From figure 5's row to the sales it withheld points from.
    await page.goBack();
    await page.goBack();
    await page.getByRole('table', { name: 'Exemptions, most points withheld first' }).getByRole('link', { name: 'Croquettes 10 kg' }).click();
    await page.getByRole('heading', { name: /^Sales — .*Product Croquettes 10 kg/ }).waitFor();
    const exempted = await page.getByRole('table').innerText();
    expect(['sale-1', 'sale-2', 'sale-5'].every((id) => exempted.includes(id))).toBe(true);
    expect(exempted).not.toContain('sale-3');
    await page.screenshot({ path: artifact('insights-withheld-sales-en'), fullPage: true });
    // And the sale's own page says what its exempt line would have earned.
    await page.getByRole('link', { name: 'sale-1' }).click();
    await page.getByText('none: product exempt (the line would have earned 25 points)').waitFor();
    await page.goBack();
    await page.getByRole('link', { name: 'Back to Insights' }).click();
    await page.getByRole('table', { name: 'Exemptions, most points withheld first' }).waitFor();
    // The whole page, 1280 and 390 px wide: nothing makes a phone scroll sideways.
    await shoot(page, 'insights-page-en');
    await page.getByRole('heading', { name: 'Points withheld by exemptions' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('insights-withheld-en'), fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Points withheld by exemptions' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('insights-withheld-en-390'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'Merchants' }).click();
    await page.getByRole('link', { name: '2 alerts' }).waitFor();
  }, 300_000);

  it('in French, with a year of figures: the charts and tables in the store’s days, axe clean over the last 30 days', async () => {
    // A year of rollups for a busy store, written as the upkeep would (the figures read nothing else).
    await createXMerchant(ctx.pool, { id: 'busy', name: 'Boutique Achalandée', domainPrefix: 'busy' });
    // Lightspeed named register 2 and cashier 2 of this store (as the reference cache stores them); the others show their ids.
    await seedRefs(ctx.pool, 'busy', {
      places: [
        ['register', 'reg-2', 'Caisse du fond'],
        ['cashier', 'cashier-2', 'Émile Roy'],
      ],
      categories: [['cat-food', 'Nourriture pour chiens', null]],
      products: [['prod-toy', null, false, undefined, 'Balle qui couine']],
    });
    await insertStaffUser(ctx.pool, { email: 'viewer@busy.example', name: 'Vera Vue', password: PASSWORD, role: 'viewer', merchantId: 'busy' });
    await ctx.pool.query(
      `INSERT INTO insight_rollups (merchant_id, day, outlet_id, register_id, cashier_id, cause, sales, with_customer, points, pending, reversed)
       SELECT 'busy', d::date, 'outlet-1', 'reg-' || r, 'cashier-' || r, c, 20 + (extract(doy FROM d)::int * r) % 17, CASE WHEN c = 'NO_CUSTOMER' THEN 0 ELSE 15 END,
              CASE WHEN c = 'CREDITED' THEN 900 ELSE 0 END, 0, 0
         FROM generate_series(current_date - 364, current_date, '1 day') d, generate_series(1, 3) r, unnest(ARRAY['CREDITED', 'NO_CUSTOMER', 'AWAITING_REWARDS_BUTTON']) c`,
    );
    // The coarse rollups the page's figures read, summed from the fine one as the upkeep keeps them.
    await ctx.pool.query(
      `INSERT INTO insight_days (merchant_id, day, cause, sales, with_customer, points, pending, reversed)
       SELECT merchant_id, day, cause, sum(sales), sum(with_customer), sum(points), sum(pending), sum(reversed) FROM insight_rollups WHERE merchant_id = 'busy' GROUP BY 1, 2, 3`,
    );
    await ctx.pool.query(
      `INSERT INTO insight_attach (merchant_id, day, dimension, id, sales, with_customer)
       SELECT merchant_id, day, v.dimension, v.id, sum(sales), sum(with_customer)
         FROM insight_rollups CROSS JOIN LATERAL (VALUES ('outlet', outlet_id), ('register', register_id), ('cashier', cashier_id)) AS v (dimension, id)
        WHERE merchant_id = 'busy' GROUP BY 1, 2, 3, 4`,
    );
    await ctx.pool.query(
      `INSERT INTO insight_points (merchant_id, day, earned, released, reversed, adjusted)
       SELECT 'busy', d::date, 2700, 0, -100, 0 FROM generate_series(current_date - 364, current_date, '1 day') d`,
    );
    await ctx.pool.query(
      `INSERT INTO insight_intake (merchant_id, day, source, delay_bucket, sales)
       SELECT 'busy', d::date, s, 3, CASE WHEN s = 'webhook' THEN 150 ELSE 10 END FROM generate_series(current_date - 364, current_date, '1 day') d, unnest(ARRAY['webhook', 'poll']) s`,
    );
    // Figure 5: a category and a product exemption every day, and one product Lightspeed gave no name for.
    await ctx.pool.query(
      `INSERT INTO insight_exemptions (merchant_id, day, kind, exempt_id, sales, points)
       SELECT 'busy', d::date, e.kind, e.id, e.sales, e.sales * e.each
         FROM generate_series(current_date - 364, current_date, '1 day') d,
              (VALUES ('category', 'cat-food', 12, 30), ('product', 'prod-toy', 4, 9), ('product', 'prod-ghost', 1, 5)) AS e (kind, id, sales, each)`,
    );
    // The detector over this year: every register and cashier attaches a customer to under half of its sales.
    await ctx.pool.query(`INSERT INTO insight_detector_due (merchant_id, day) VALUES ('busy', current_date)`);
    await runDetectorPass(ctx.pool);
    const page = await (await browser.newContext({ locale: 'fr-CA', viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, 'viewer@busy.example');
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await page.getByRole('heading', { name: 'Pourquoi des ventes n’ont rien rapporté' }).waitFor();
    // The alerts name the register and the cashier Lightspeed named, and show the ids of the others.
    await page.locator('[data-alert="ATTACH_RATE_LOW"]').first().waitFor();
    const alerts = await page.locator('[data-alert="ATTACH_RATE_LOW"]').allInnerTexts();
    expect(alerts.some((a) => a.startsWith('La caisse Caisse du fond a associé'))).toBe(true);
    expect(alerts.some((a) => a.startsWith('Le caissier Émile Roy a associé'))).toBe(true);
    expect(alerts.some((a) => a.startsWith('La caisse reg-1 a associé'))).toBe(true);
    await page.getByRole('heading', { name: 'Alertes' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('insights-fr-alerts'), fullPage: false });
    // axe on the last 30 days (four tables of 30 rows): over 365-row tables it took minutes on 2 shared cores.
    await page.getByRole('table', { name: 'Taux de ventes récompensées' }).getByRole('row').nth(30).waitFor();
    await noSeriousAxeViolations(page);
    await page.getByRole('combobox', { name: 'Période' }).selectOption('365');
    await page.getByRole('table', { name: 'Pourquoi des ventes n’ont rien rapporté' }).getByRole('row').nth(365).waitFor();
    expect(await page.getByRole('table', { name: 'Taux de ventes récompensées' }).getByRole('row').count()).toBe(366);
    const byRegister = await page.getByRole('table', { name: 'Par caisse' }).innerText();
    expect(byRegister).toContain('Caisse inconnue (identifiant reg-1)');
    expect(byRegister).toContain('Caisse du fond');
    expect(await page.getByRole('table', { name: 'Par caissier' }).innerText()).toContain('Émile Roy');
    await page.getByRole('heading', { name: 'Taux de client associé' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('insights-fr-attach'), fullPage: false });
    await page.screenshot({ path: artifact('insights-fr-year'), fullPage: false });
    // The points chart's axis in French ("131 400"): labels as wide as they need, not cut at the left.
    await page.getByRole('heading', { name: 'Points', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('insights-points-fr-year'), fullPage: false });
    const withheld = await page.getByRole('table', { name: 'Exemptions, celles qui retiennent le plus de points d’abord' }).innerText();
    // A year: 365 × 12 × 30 points for the dog food, most first; names, and the id only where Lightspeed gave no name.
    expect(withheld).toMatch(/Nourriture pour chiens\s+Catégorie\s+131\s400\s+4\s380/);
    expect(withheld.indexOf('Nourriture pour chiens')).toBeLessThan(withheld.indexOf('Balle qui couine'));
    expect(withheld).toContain('Produit inconnu (identifiant prod-ghost)');
    await page.getByRole('heading', { name: 'Points retenus par les exemptions' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('insights-withheld-fr-year'), fullPage: false });

    await page.getByRole('combobox', { name: 'Par' }).selectOption('week');
    await page.waitForURL(/by=week/);
    // 53 weeks (and the header): the daily rows are gone.
    await page.getByRole('table', { name: 'Taux de ventes récompensées' }).getByRole('row').nth(60).waitFor({ state: 'detached' });
    expect(await page.getByRole('table', { name: 'Taux de ventes récompensées' }).getByRole('row').count()).toBe(54);
    await page.screenshot({ path: artifact('insights-fr-year-weeks'), fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: artifact('insights-fr-year-weeks-390'), fullPage: false });
    await page.getByRole('heading', { name: 'Points retenus par les exemptions' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact('insights-withheld-fr-390'), fullPage: false });
    // A hang guard, not a speed check: axe over four tables of 365 rows took over a minute on 2 shared cores.
  }, 300_000);

  it('the overview for platform staff: each merchant worst first, linking to its Insights, in English and French, 1280 and 390 px wide', async () => {
    await insertStaffUser(ctx.pool, { email: 'support@platform.example', name: 'Sam Support', password: PASSWORD, role: 'support', merchantId: null });
    for (const [locale, nav, merchantHeader] of [
      ['en-CA', 'Insights', 'Merchant'],
      ['fr-CA', 'Tableau de bord', 'Marchand'],
    ] as const) {
      const page = await (await browser.newContext({ locale, viewport: { width: 1280, height: 900 } })).newPage();
      await signIn(page, 'support@platform.example');
      await page.getByRole('link', { name: nav, exact: true }).click();
      const table = page.getByRole('table', { name: locale === 'en-CA' ? 'Insights — all merchants' : 'Tableau de bord — tous les marchands' });
      await table.waitFor();
      expect(await table.getByRole('columnheader').first().innerText()).toBe(merchantHeader);
      const rows = await table.getByRole('row').allInnerTexts();
      // Busy earns on a third of its sales, Acme on 3 of 5: busy first.
      expect(rows.findIndex((r) => r.includes('Boutique Achalandée'))).toBeLessThan(rows.findIndex((r) => r.includes('Animalerie Acme')));
      expect(rows.find((r) => r.includes('Animalerie Acme'))).toMatch(/Animalerie Acme\s+5\s+60\s*%/);
      await noSeriousAxeViolations(page);
      await page.screenshot({ path: artifact(`insights-overview-${locale.slice(0, 2)}`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: artifact(`insights-overview-${locale.slice(0, 2)}-390`), fullPage: true });
      await table.getByRole('link', { name: 'Animalerie Acme' }).click();
      await page.waitForURL(/\/merchants\/acme\/insights\?period=30$/);
      await page.getByRole('heading', { name: /Animalerie Acme/ }).waitFor();
      await page.context().close();
    }
  }, 300_000);
});
