import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDir } from '../../../src/consoleFiles/staticRoutes.js';
import { startEventDelivery, type EventDelivery } from '../../../src/events/deliveryWorker.js';
import { serviceApp } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';
import { startReceiver } from '../../helpers/webhookReceiver.js';
import { artifact, launchBrowser } from './browser.js';

// The Outbound events page: a merchant admin adds an endpoint (the secret shown once), sends a test
// event that the local receiver verifies with standardwebhooks, rotates the secret and reads the log.
let ctx: TestContext;
let server: Server;
let base: string;
let browser: Browser;
let delivery: EventDelivery;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const PASSWORD = 'correct horse battery staple';

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/console/`);
  await page.getByLabel(/^(Email|Courriel)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.getByRole('searchbox').or(page.getByRole('alert')).first().waitFor();
}

beforeAll(async () => {
  if (!existsSync(`${consoleDir}/index.html`)) throw new Error('the console is not built: `npm test` runs `npm run build:console` first');
  ctx = await createTestContext({ WEBHOOK_ALLOW_CIDRS: ['127.0.0.1'], WEBHOOK_DISPATCH_EVERY_MS: 50 });
  const app = serviceApp(ctx);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createXMerchant(ctx.pool, { id: 'acme', name: 'Animalerie Acme' });
  await insertStaffUser(ctx.pool, { email: 'admin@acme.example', name: 'Alex Acme', password: PASSWORD, role: 'admin', merchantId: 'acme' });
  await insertStaffUser(ctx.pool, { email: 'viewer@acme.example', name: 'Vic Viewer', password: PASSWORD, role: 'viewer', merchantId: 'acme' });
  receiver = await startReceiver();
  delivery = startEventDelivery(ctx);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await delivery?.close();
  await receiver?.close();
  await new Promise((resolve) => server?.close(resolve));
  await ctx?.cleanup();
});

describe('the Outbound events page', () => {
  it('an admin adds an endpoint, copies the secret shown once, sends a test event that verifies, rotates, and reads the deliveries (EN and FR)', async () => {
    const page = await (await browser.newContext({ locale: 'en-CA' })).newPage();
    page.on('dialog', (d) => void d.accept());
    await signIn(page, 'admin@acme.example');
    await page.goto(`${base}/console/merchants/acme/events`);
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Description').fill('CRM');
    await page.getByRole('checkbox', { name: 'webhook.test' }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByRole('alert').locator('code').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await page.screenshot({ path: artifact('events-secret-en'), fullPage: true });

    await page.getByRole('button', { name: 'Send test event' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Test event evt_\w+ sent\.$/ })
      .waitFor();
    const got = await waitFor(async () => receiver.received[0], 15_000, 'the test event');
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('alert').locator('code').filter({ hasNotText: secret }).waitFor();
    // The endpoint list reloads after the rotation's answer: wait for its overlap line rather than look once.
    await page.getByText(/The previous secret also signs until/).waitFor();

    await page.getByRole('button', { name: 'Show deliveries' }).click();
    await page.getByRole('cell', { name: 'delivered' }).first().waitFor();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.screenshot({ path: artifact('events-en'), fullPage: true });

    await page.getByRole('combobox', { name: /Language|Langue/ }).selectOption('fr');
    await page.locator('html[lang="fr"]').waitFor();
    await page.getByRole('heading', { name: /Événements sortants/ }).waitFor();
    await page.getByRole('cell', { name: 'livrée' }).first().waitFor();
    // The notice shown before the switch is reworded too (kept as a key, translated when shown).
    await page
      .getByRole('status')
      .filter({ hasText: /^Événement test evt_\w+ envoyé\.$/ })
      .waitFor();
    await page.screenshot({ path: artifact('events-fr'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: artifact('events-fr-390'), fullPage: true });
    await page.getByRole('combobox', { name: /Language|Langue/ }).selectOption('en');
    await page
      .getByRole('status')
      .filter({ hasText: /^Test event evt_\w+ sent\.$/ })
      .waitFor();
    await page.screenshot({ path: artifact('events-en-390'), fullPage: true });
  });

  it('a viewer reads endpoints and deliveries but sees no action', async () => {
    const page = await (await browser.newContext({ locale: 'en-CA' })).newPage();
    await signIn(page, 'viewer@acme.example');
    await page.goto(`${base}/console/merchants/acme/events`);
    await page.getByRole('heading', { name: receiver.url }).waitFor();
    expect(await page.getByRole('button', { name: 'Send test event' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add endpoint' }).count()).toBe(0);
  });
});
