import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import nock from 'nock';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDir } from '../../../src/consoleFiles/staticRoutes.js';
import { serviceApp } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET, seedOutlets } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';
import { launchBrowser, shoot } from './browser.js';

// The frequent-buyer screens in a real browser (Debian's Chromium) against the real service, PostgreSQL,
// Redis and the sales pipeline: the retailer's enrollment pages, the distributor portal, the platform setup.
type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const MONTREAL = closed.outlet_id as string;
const QUEBEC_CITY = 'outlet-quebec-city';
const JANE = closed.customer_id as string;
const KIBBLE = 'prod-acana-kibble';
const KIBBLE_UPC = '064992523107';
const PASSWORD = 'correct horse battery staple';

let ctx: TestContext;
let server: Server;
let base: string;
let workers: RunningWorkers;
let browser: Browser;
let admin: string;
let offerId = 0;
const d: Record<'quebec' | 'ontario' | 'outsider' | 'laurentides', number> = { quebec: 0, ontario: 0, outsider: 0, laurentides: 0 };
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

let n = 0;
/** A fixture-shaped X-Series sale of Acana kibble at 54.99 for Jane; `free` rings one up at zero with the redemption promotion. */
function xSale(opts: { qty?: number; free?: boolean; outlet?: string }): Json {
  n += 1;
  const id = `fbc-sale-${n}`;
  const line = opts.free
    ? {
        id: `${id}-l0`,
        product_id: KIBBLE,
        quantity: 1,
        price: '0.00',
        price_total: '0.00',
        discount: '54.99',
        promotions: [{ id: 'promo-1', name: 'Frequent Buyer' }],
      }
    : { id: `${id}-l0`, product_id: KIBBLE, quantity: opts.qty ?? 1, price: '54.99', price_total: (54.99 * (opts.qty ?? 1)).toFixed(2), discount: '0.00' };
  return { ...closed, id, invoice_number: String(5000 + n), version: 8_000_000_000 + n, outlet_id: opts.outlet ?? MONTREAL, register_sale_products: [line] };
}

const settled = () =>
  waitFor(
    async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = 'acme' AND processed_at IS NULL AND status NOT IN ('waiting', 'failed')`,
      );
      return rows[0].n === 0;
    },
    20_000,
    'inbox of acme settled',
  );

/** Three bags, then the free one, at a location: one accepted redemption, so one claim. Returns the claim's id. */
async function purchasesThenRedemption(outlet: string): Promise<number> {
  const app = serviceApp(ctx);
  const before = (await ctx.pool.query(`SELECT coalesce(max(id), 0)::int AS id FROM claims`)).rows[0].id;
  await deliver(app, 'acme', xSale({ qty: 3, outlet }), { secret: SECRET }).expect(200);
  await settled();
  await deliver(app, 'acme', xSale({ free: true, outlet }), { secret: SECRET }).expect(200);
  await settled();
  return waitFor(async () => (await ctx.pool.query(`SELECT id::int FROM claims WHERE id > $1 ORDER BY id LIMIT 1`, [before])).rows[0]?.id, 20_000, 'a claim');
}

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/console/`);
  await page.getByLabel(/^(Email|Courriel)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.getByRole('button', { name: /^(Sign out|Se déconnecter)$/ }).waitFor();
}

async function newPage(locale = 'en-CA'): Promise<Page> {
  // A browser far from the merchants (Tokyo): a time shown in the browser's zone instead of the merchant's shows.
  const context = await browser.newContext({ locale, acceptDownloads: true, timezoneId: 'Asia/Tokyo' });
  return context.newPage();
}

async function setLanguage(page: Page, lang: 'en' | 'fr') {
  await page.getByRole('combobox', { name: /Language|Langue/ }).selectOption(lang);
  await page.locator(`html[lang="${lang}"]`).waitFor();
}

async function noSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

/** Screenshot and accessibility check of the page as it stands. */
async function look(page: Page, name: string) {
  await noSeriousAxeViolations(page);
  await shoot(page, `fb-${name}`);
}

beforeAll(async () => {
  if (!existsSync(`${consoleDir}/index.html`)) throw new Error('the console is not built: `npm test` runs `npm run build:console` first');
  ctx = await createTestContext();
  const app = serviceApp(ctx);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await ctx.token('admin');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');

  await createXMerchant(ctx.pool, { id: 'acme', name: 'Animalerie Acme', domainPrefix: 'acme', apiBaseUrl: 'http://fb-console-lightspeed.test' });
  await createXMerchant(ctx.pool, { id: 'chain', name: 'Chaîne Animo', domainPrefix: 'chain', apiBaseUrl: 'http://fb-console-lightspeed.test' });
  // Acme's second shop, as Lightspeed lists its outlets (deliveries are bound to the merchant by outlet).
  await seedOutlets(ctx.pool, 'acme', [QUEBEC_CITY], []);
  await seedRefs(ctx.pool, 'acme', { products: [[KIBBLE, null, false, ['AC-KB-25', KIBBLE_UPC]]] });
  const distributors = {
    quebec: { name: 'Distribution Québec', regions: ['QC'], requiresAccountNumber: true },
    ontario: { name: 'Ontario Pet Supply', regions: ['ON'] },
    outsider: { name: 'Grossiste Hors-Programme', regions: ['QC'] },
    laurentides: { name: 'Laurentides Pet Supply', regions: ['QC', 'ON'] },
  };
  for (const [key, body] of Object.entries(distributors)) {
    d[key as keyof typeof d] = (await request(app).post('/admin/api/frequent-buyer/distributors').set(as(admin)).send(body).expect(201)).body.id;
  }
  offerId = (
    await request(app)
      .post('/admin/api/frequent-buyer/offers')
      .set(as(admin))
      .send({
        manufacturer: 'Champion Petfoods',
        brand: 'Acana',
        name: 'Acana: buy 3 bags, get 1 free',
        purchasesRequired: 3,
        products: [{ upc: KIBBLE_UPC }],
        freeItemRule: 'lesser_or_equal_value',
        startsOn: '2026-01-01',
        eligibleDistributorIds: [d.quebec, d.ontario, d.laurentides],
      })
      .expect(201)
  ).body.id;
  await request(app).put(`/admin/api/merchants/acme/locations/${MONTREAL}`).set(as(admin)).send({ name: 'Montréal', region: 'QC' }).expect(200);
  await request(app).put(`/admin/api/merchants/acme/locations/${QUEBEC_CITY}`).set(as(admin)).send({ name: 'Québec (Sainte-Foy)', region: 'QC' }).expect(200);
  await request(app).put(`/admin/api/merchants/acme/frequent-buyer/settings`).set(as(admin)).send({ redemptionDiscount: 'Frequent Buyer' }).expect(200);
  for (let i = 1; i <= 50; i += 1) {
    await request(app)
      .put(`/admin/api/merchants/chain/locations/shop-${i}`)
      .set(as(admin))
      .send({ name: `Animo ${String(i).padStart(2, '0')}`, region: i % 2 ? 'QC' : 'ON' })
      .expect(200);
  }

  await insertStaffUser(ctx.pool, { email: 'admin@acme.example', name: 'Alex Acme', password: PASSWORD, role: 'admin', merchantId: 'acme' });
  await insertStaffUser(ctx.pool, { email: 'viewer@acme.example', name: 'Vic Viewer', password: PASSWORD, role: 'viewer', merchantId: 'acme' });
  await insertStaffUser(ctx.pool, { email: 'admin@chain.example', name: 'Cam Chain', password: PASSWORD, role: 'admin', merchantId: 'chain' });
  await insertStaffUser(ctx.pool, { email: 'root@platform.example', name: 'Pat Platform', password: PASSWORD, role: 'admin', merchantId: null });
  await insertStaffUser(ctx.pool, { email: 'desk@dq.example', name: 'Dana Desk', password: PASSWORD, role: 'distributor', distributorId: d.quebec });
  await insertStaffUser(ctx.pool, {
    email: 'desk@laurentides.example',
    name: 'Lou Laurentides',
    password: PASSWORD,
    role: 'distributor',
    distributorId: d.laurentides,
  });

  workers = await startWorkers(ctx, { concurrency: 2 });
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

describe('frequent-buyer screens', () => {
  it('a merchant admin enrolls a location through the dialog: only eligible distributors serving its region, and a missing account number refused with its reason', async () => {
    const page = await newPage();
    await signIn(page, 'admin@acme.example');
    await page.getByRole('link', { name: 'Offers', exact: true }).click();
    await page.getByRole('heading', { name: 'Frequent-buyer offers' }).waitFor();
    await look(page, 'offers-en');
    // The Offers menu in the frequent-buyer header.
    await page.locator('summary', { hasText: 'Offers' }).click();
    await page.getByRole('link', { name: 'Acana: buy 3 bags, get 1 free' }).first().click();
    await page.getByRole('heading', { name: 'Enrollment' }).waitFor();
    const row = page.getByTestId(`fulfillment-${MONTREAL}`);
    await row.getByRole('button').click();
    const dialog = page.getByTestId('distributor-dialog');
    await dialog.getByText('Choose the distributor you currently buy this brand from most often. Credits always go to your primary distributor.').waitFor();
    await dialog.getByRole('radio').first().waitFor();
    const offered = await dialog.getByRole('radio').evaluateAll((els) => els.map((e) => (e.closest('label') as HTMLElement).innerText));
    expect(offered.map((s) => s.split(' — ')[0])).toEqual(['Distribution Québec', 'Laurentides Pet Supply']);
    // Not eligible for the offer, and not serving QC: neither is offered.
    expect(offered.join(' ')).not.toMatch(/Grossiste Hors-Programme|Ontario Pet Supply/);
    await dialog.getByRole('radio', { name: /Distribution Québec/ }).check();
    const account = dialog.getByLabel(/Your account number at this distributor/);
    await account.waitFor();
    expect(await account.getAttribute('aria-required')).toBe('true');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // The server's refusal, translated from its code (ENROLLMENT_INVALID), beside the field.
    await expect.poll(() => dialog.getByRole('alert').innerText()).toContain('account number missing');
    expect(await account.getAttribute('aria-describedby')).toBeTruthy();
    await look(page, 'enrollment-dialog-refused-en');
    await account.fill('QC-1001');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.innerText()).toContain('Distribution Québec');
    await expect.poll(() => row.innerText()).toContain('QC-1001');
    const saved = (
      await ctx.pool.query(
        `SELECT distributor_id::int AS "distributorId", account_number AS "accountNumber" FROM enrollments WHERE merchant_id = 'acme' AND shop_id = $1`,
        [MONTREAL],
      )
    ).rows[0];
    expect(saved).toEqual({ distributorId: d.quebec, accountNumber: 'QC-1001' });
    await look(page, 'offer-enrollment-en');
    await setLanguage(page, 'fr');
    await page.getByRole('heading', { name: 'Inscription' }).waitFor();
    await page.getByRole('columnheader', { name: 'Distributeur actuel' }).waitFor();
    await look(page, 'offer-enrollment-fr');
    await page.context().close();
  }, 120_000);

  it('the grid of a 50-location merchant, filtered to one location, shows that location only (after the main account)', async () => {
    const page = await newPage();
    await signIn(page, 'admin@chain.example');
    await page.goto(`${base}/console/merchants/chain/frequent-buyer/enrollments`);
    await page.getByTestId('grid-main-account').waitFor();
    expect(await page.getByTestId('grid-location').count()).toBe(50);
    const rows = await page.locator('[data-testid="enrollment-grid"] tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(rows[0]).toBe('grid-main-account');
    await page.getByLabel('Search locations').fill('37');
    const select = page.getByLabel(/^Location \(/);
    await expect.poll(() => select.locator('option').count()).toBe(2);
    await select.selectOption({ label: 'Animo 37 (QC)' });
    await expect.poll(() => page.getByTestId('grid-location').count()).toBe(1);
    expect(await page.getByTestId('grid-location').innerText()).toContain('Animo 37');
    expect(await page.getByTestId('grid-main-account').innerText()).toContain('Chaîne Animo');
    await look(page, 'grid-filtered-en');
    await page.context().close();
  }, 120_000);

  it('a distributor puts a location on holding; the redemption’s claim shows as held for the retailer; choosing a distributor moves it to that distributor’s list', async () => {
    // Montréal is with Distribution Québec (the first test), which says it does not serve it.
    const desk = await newPage();
    await signIn(desk, 'desk@dq.example');
    await desk.getByRole('heading', { name: 'Claims to Distribution Québec' }).waitFor();
    await look(desk, 'portal-claims-empty-en');
    await desk.getByRole('link', { name: 'Enrollments' }).click();
    await desk.getByRole('button', { name: 'Move Montréal to Temporary Holding' }).click();
    await desk.getByLabel('Reason').fill('Outside our delivery routes since November');
    await desk.getByRole('button', { name: 'Move to Temporary Holding' }).click();
    await desk.getByText('Montréal moved to Temporary Holding').waitFor();
    await look(desk, 'portal-enrollments-en');

    const claimId = await purchasesThenRedemption(MONTREAL);
    const retailer = await newPage();
    await signIn(retailer, 'admin@acme.example');
    await retailer.goto(`${base}/console/merchants/acme/frequent-buyer/enrollments`);
    const notice = retailer.getByTestId('holding');
    await expect.poll(() => notice.innerText()).toContain('Why: Outside our delivery routes since November');
    expect(await notice.innerText()).toContain('1 claim waits until you choose a distributor');
    expect(await notice.innerText()).toMatch(/in Temporary Holding since \w+/);
    await look(retailer, 'grid-holding-en');
    await retailer.getByRole('link', { name: 'Claims' }).click();
    const claim = retailer.getByTestId(`claim-${claimId}`);
    await expect.poll(() => claim.getAttribute('data-status')).toBe('held');
    expect(await claim.innerText()).toContain('waits in Temporary Holding until you choose a distributor');
    await look(retailer, 'claims-held-en');

    await retailer.getByRole('link', { name: 'Enrollment grid' }).click();
    await retailer.getByRole('button', { name: 'Choose a distributor for Montréal' }).click();
    const dialog = retailer.getByTestId('distributor-dialog');
    await dialog.getByRole('radio', { name: /Laurentides Pet Supply/ }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await retailer.getByTestId('holding').waitFor({ state: 'detached' });
    await retailer.getByRole('link', { name: 'Claims' }).click();
    await expect.poll(() => claim.getAttribute('data-status')).toBe('new');
    expect(await claim.innerText()).toContain('Laurentides Pet Supply');

    const laurentides = await newPage();
    await signIn(laurentides, 'desk@laurentides.example');
    await laurentides.getByTestId(`distributor-claim-${claimId}`).waitFor();
    await desk.goto(`${base}/console/distributor`);
    await desk.getByText('No claim here.').waitFor();
    for (const p of [desk, retailer, laurentides]) await p.context().close();
  }, 180_000);

  it('a distributor denies a claim for an incorrect account number; the retailer corrects and resubmits; the distributor batches, exports the CSV and marks it credited; the retailer sees each step', async () => {
    await request(server)
      .put(`/admin/api/merchants/acme/frequent-buyer/enrollments/${offerId}/${QUEBEC_CITY}`)
      .set(as(admin))
      .send({ distributorId: d.quebec, accountNumber: 'QC-9999' })
      .expect(200);
    const claimId = await purchasesThenRedemption(QUEBEC_CITY);

    const desk = await newPage();
    await signIn(desk, 'desk@dq.example');
    const row = desk.getByTestId(`distributor-claim-${claimId}`);
    // The retailer by its name, not the platform's id.
    expect(await row.innerText()).toContain('Animalerie Acme — Québec (Sainte-Foy)');
    await row.getByRole('button', { name: `Deny claim #${claimId}` }).click();
    await row.getByLabel('Reason').selectOption('incorrect_account_number');
    await row.getByLabel('Note').fill('We have no account QC-9999');
    await look(desk, 'portal-deny-en');
    await row.getByRole('button', { name: 'Deny' }).click();
    await desk.getByText(`Claim #${claimId} denied.`).waitFor();

    const retailer = await newPage();
    await signIn(retailer, 'admin@acme.example');
    await retailer.goto(`${base}/console/merchants/acme/frequent-buyer/claims`);
    const claim = retailer.getByTestId(`claim-${claimId}`);
    await expect.poll(() => claim.getAttribute('data-status')).toBe('denied');
    expect(await claim.innerText()).toContain('Denied by the distributor: incorrect account number');
    expect(await claim.innerText()).toContain('We have no account QC-9999');
    // Resubmitting without fixing the account number is refused, with the server's refusal translated from its code.
    await claim.getByRole('button', { name: 'Resubmit' }).click();
    await expect.poll(() => claim.getByRole('alert').innerText()).toContain('Correct the claim (distributor or account number)');
    await look(retailer, 'claims-denied-refused-en');
    await claim.getByLabel('Corrected account number').fill('QC-2002');
    await claim.getByRole('button', { name: 'Resubmit' }).click();
    await expect.poll(() => claim.getAttribute('data-status')).toBe('resubmitted');

    await desk.reload();
    await expect.poll(() => row.innerText()).toContain('Resubmitted');
    expect(await row.innerText()).toContain('QC-2002');
    await desk.getByRole('checkbox', { name: `Choose claim #${claimId}` }).check();
    await desk.getByRole('button', { name: /Batch the chosen claim/ }).click();
    const batched = await desk.getByText(/Batch #\d+ created with 1 claim\./).innerText();
    const batchId = Number(/#(\d+)/.exec(batched)![1]);
    await desk.getByRole('link', { name: 'Batches' }).click();
    const download = desk.waitForEvent('download');
    await desk.getByRole('link', { name: `Download batch #${batchId} (CSV)` }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    // Every cell quoted (issue 23 item 7).
    expect(csv.split('\n')[0]).toBe('"claim_id","merchant_id","location","account_number","offer","sale_id","redeemed_at","value","status"');
    expect(csv).toContain(`"${claimId}","acme","Québec (Sainte-Foy)","QC-2002",`);
    expect(csv).toContain('"54.99","batched"');
    await desk.getByLabel('Credit reference').fill('CM-2026-11');
    await look(desk, 'portal-batches-en');
    // On a phone the batches stack each row's cells under their column's name: the table fits, nothing scrolls sideways.
    await desk.setViewportSize({ width: 390, height: 844 });
    expect(await desk.locator('table').evaluate((t) => t.scrollWidth - t.clientWidth)).toBe(0);
    // A batch mixes retailers: its times are the reader's browser's, and the page says so.
    expect(await desk.getByTestId('time-zone').innerText()).toBe('Times in Asia/Tokyo, your browser’s time zone');
    await desk.setViewportSize({ width: 1280, height: 720 });
    await desk.getByRole('button', { name: 'Mark credited' }).click();
    await desk.getByText(/Credited \(CM-2026-11\)/).waitFor();

    await retailer.reload();
    await expect.poll(() => claim.getAttribute('data-status')).toBe('credited');
    await claim.getByText(/^History/).click();
    const history = await claim.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r.children[2] as HTMLElement).innerText));
    expect(history).toEqual(['New', 'New → Denied', 'Denied → Resubmitted', 'Resubmitted → Batched', 'Batched → Credited']);
    await look(retailer, 'claims-credited-en');
    expect(await retailer.getByTestId('time-zone').innerText()).toBe('Times in America/Montreal, the merchant’s time zone');
    await setLanguage(retailer, 'fr');
    await expect.poll(() => claim.innerText()).toContain('Créditée');
    await look(retailer, 'claims-credited-fr');
    for (const p of [desk, retailer]) await p.context().close();
  }, 180_000);

  it('a viewer of the merchant sees no edit control and a forged write is refused (403); a distributor cannot open another’s claim by URL (404) nor any loyalty page', async () => {
    const viewer = await newPage();
    await signIn(viewer, 'viewer@acme.example');
    await viewer.goto(`${base}/console/merchants/acme/frequent-buyer/offers/${offerId}`);
    await viewer.getByRole('heading', { name: 'Enrollment' }).waitFor();
    await viewer.getByTestId(`fulfillment-${MONTREAL}`).waitFor();
    expect(await viewer.locator('main table button').count()).toBe(0);
    await look(viewer, 'offer-viewer-en');
    await viewer.goto(`${base}/console/merchants/acme/frequent-buyer/claims`);
    await viewer.locator('[data-testid^="claim-"]').first().waitFor();
    expect(await viewer.getByRole('button', { name: 'Resubmit' }).count()).toBe(0);
    await viewer.goto(`${base}/console/merchants/acme/frequent-buyer/enrollments`);
    await viewer.getByTestId('grid-main-account').waitFor();
    expect(await viewer.locator('[data-testid="enrollment-grid"] button').count()).toBe(0);
    const forged = await viewer.evaluate(
      async ({ offer, shop, distributor }) => {
        const res = await fetch(`/admin/api/merchants/acme/frequent-buyer/enrollments/${offer}/${encodeURIComponent(shop)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ distributorId: distributor, accountNumber: 'FORGED' }),
        });
        return res.status;
      },
      { offer: offerId, shop: MONTREAL, distributor: d.quebec },
    );
    expect(forged).toBe(403);
    expect((await ctx.pool.query(`SELECT count(*)::int AS n FROM enrollments WHERE account_number = 'FORGED'`)).rows[0].n).toBe(0);

    // Québec's claim (the denied-then-credited one), opened by Laurentides: as if it did not exist.
    const quebecClaim = (await ctx.pool.query(`SELECT id::int FROM claims WHERE distributor_id = $1 ORDER BY id DESC LIMIT 1`, [d.quebec])).rows[0].id;
    const laurentides = await newPage();
    await signIn(laurentides, 'desk@laurentides.example');
    await laurentides.goto(`${base}/console/distributor/claims/${quebecClaim}`);
    await expect.poll(() => laurentides.getByRole('alert').innerText()).toContain('Not found');
    const status = await laurentides.evaluate(async (id) => (await fetch(`/distributor/api/claims/${id}`)).status, quebecClaim);
    expect(status).toBe(404);
    // No loyalty pages: the portal is all the console shows them, and the staff API refuses them.
    await laurentides.goto(`${base}/console/merchants/acme/sales/sale-1`);
    await laurentides.getByRole('heading', { name: 'Claims to Laurentides Pet Supply' }).waitFor();
    expect(await laurentides.getByRole('link', { name: 'Find a sale' }).count()).toBe(0);
    expect(await laurentides.evaluate(async () => (await fetch('/admin/api/merchants/acme')).status)).toBe(403);
    for (const p of [viewer, laurentides]) await p.context().close();
  }, 120_000);

  it('punch cards on the customer page; the "not listed" request and its status; the platform setup shows the server’s validation', async () => {
    const retailer = await newPage();
    await signIn(retailer, 'admin@acme.example');
    await retailer.goto(`${base}/console/merchants/acme/customers/${encodeURIComponent(JANE)}`);
    const cards = retailer.getByTestId('punch-cards');
    await expect.poll(() => cards.innerText()).toContain('6 bought, 6 used, 0 available (3 for a free item)');
    expect(await cards.getByRole('table', { name: 'Purchases counted' }).locator('tbody tr').count()).toBe(2);
    expect(await cards.getByRole('table', { name: 'Redemptions' }).locator('tbody tr').count()).toBe(2);
    // Sales by their receipt and location, as a person reads them; never Lightspeed's Sale ID.
    const purchases = await cards.getByRole('table', { name: 'Purchases counted' }).innerText();
    expect(purchases).toMatch(/Sale 50\d\d/);
    expect(purchases).toContain('Québec (Sainte-Foy)');
    expect(await cards.innerText()).not.toContain('fbc-sale-');
    await look(retailer, 'customer-punch-cards-en');

    await retailer.goto(`${base}/console/merchants/acme/frequent-buyer/requests?offerId=${offerId}`);
    await retailer.getByRole('button', { name: 'Send the request' }).click();
    // The server's word on the empty form, beside the field.
    await retailer.locator('#request-distributorName-issue').waitFor();
    await look(retailer, 'requests-refused-en');
    await retailer.getByLabel('Distributor name').fill('Distributions Saguenay');
    await retailer.getByLabel(/^Contact/).fill('Marie Tremblay, 418 555-0199');
    await retailer.getByRole('button', { name: 'Send the request' }).click();
    await retailer.getByText('Request sent').waitFor();
    await retailer.getByRole('cell', { name: 'Open' }).waitFor();

    const root = await newPage();
    await signIn(root, 'root@platform.example');
    await root.getByRole('link', { name: 'Frequent buyer' }).click();
    await root.getByRole('heading', { name: 'Frequent buyer: setup' }).waitFor();
    await root.getByLabel('Name', { exact: true }).fill('Distribution Nord');
    await root.getByLabel(/^Regions served/).fill('quebec');
    await root.getByRole('button', { name: 'Add the distributor' }).click();
    await expect.poll(() => root.locator('#distributor-regions-issue').innerText()).toContain('a state/province code such as QC or US-NY');
    await look(root, 'setup-refused-en');
    await root.getByLabel(/^Regions served/).fill('QC, NB');
    await root.getByLabel('Account number required').check();
    await root.getByRole('button', { name: 'Add the distributor' }).click();
    await root.getByRole('cell', { name: 'QC, NB' }).waitFor();
    const request_ = (await ctx.pool.query(`SELECT id::int FROM distributor_requests WHERE distributor_name = 'Distributions Saguenay'`)).rows[0].id;
    await root.getByLabel('Status').last().waitFor();
    await root.locator(`#request-${request_}-status`).selectOption('added');
    await root.locator(`#request-${request_}-note`).fill('Added as Distribution Nord');
    await root.getByRole('button', { name: 'Save' }).last().click();
    await expect.poll(() => root.getByTestId(`request-status-${request_}`).innerText()).toContain('Distributor added');
    // Requests of every merchant: each in its merchant's time zone, said once and named beside the merchant.
    expect(await root.getByTestId('time-zone').innerText()).toBe('Times in each merchant’s own time zone, named beside it');
    expect(await root.getByRole('row').filter({ hasText: 'Distributions Saguenay' }).innerText()).toContain('America/Montreal');
    // The free-item rule is a choice of sentences that wrap: on a phone neither is cut (a select's option was).
    await root.setViewportSize({ width: 390, height: 844 });
    for (const name of [/dearest of the purchases/, /cheapest of the purchases/]) {
      const box = (await root.getByRole('radio', { name }).locator('xpath=..').boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await root.setViewportSize({ width: 1280, height: 720 });
    await look(root, 'setup-en');
    // A distributor's person is scoped to the distributor, named (not its id) on the People page.
    await root.goto(`${base}/console/people`);
    const deskRow = root.getByRole('row').filter({ hasText: 'desk@dq.example' });
    await expect.poll(() => deskRow.innerText()).toContain('Distributor Distribution Québec (its portal only)');

    await retailer.reload();
    await expect.poll(() => retailer.getByTestId(`request-status-${request_}`).innerText()).toContain('Added as Distribution Nord');
    await look(retailer, 'requests-en');
    for (const p of [retailer, root]) await p.context().close();
  }, 180_000);
});
