import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDir } from '../../../src/consoleFiles/staticRoutes.js';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { launchBrowser, shoot } from './browser.js';

/** Issue 23 item 8 in the console: the People page's reset button, the forced change, the change-password page. */
let ctx: TestContext;
let server: Server;
let base: string;
let browser: Browser;

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base}/console/`);
  await page.getByLabel(/^(Email|Courriel)$/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
}

beforeAll(async () => {
  if (!existsSync(`${consoleDir}/index.html`)) throw new Error('the console is not built: `npm test` runs `npm run build:console` first');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  ctx = await createTestContext({ PUBLIC_URL: base, AUTH_FAILURES_PER_MINUTE: 100 });
  await insertStaffUser(ctx.pool, { email: 'root@example.com', name: 'Root', password: 'root password 123', role: 'admin', merchantId: null });
  await insertStaffUser(ctx.pool, { email: 'desk@example.com', name: 'Desk', password: 'desk password 123', role: 'support', merchantId: null });
  const app = createApp(ctx, routeTable(ctx));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await ctx.cleanup();
});

describe('passwords in the console', () => {
  it('an admin resets a password on the People page; the person must choose a new one, then uses the console; in French too', async () => {
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, 'root@example.com', 'root password 123');
    await admin.getByRole('link', { name: 'People' }).click();
    await admin.getByRole('button', { name: 'Reset the password of desk@example.com' }).click();
    const notice = await admin.getByRole('status').filter({ hasText: 'Temporary password for desk@example.com' }).textContent();
    const temporary = /desk@example\.com: (\S+)\./.exec(notice ?? '')![1]!;
    await shoot(admin, 'people-reset-password');
    expect((await new AxeBuilder({ page: admin }).analyze()).violations).toEqual([]);

    const desk = await (await browser.newContext()).newPage();
    await signIn(desk, 'desk@example.com', temporary);
    await desk.getByRole('heading', { name: 'Change your password' }).waitFor();
    await desk.getByText('An admin reset your password').waitFor();
    await desk.getByRole('combobox', { name: /Language|Langue/ }).selectOption('fr');
    await desk.getByRole('heading', { name: 'Changer votre mot de passe' }).waitFor();
    await shoot(desk, 'password-forced-fr');
    expect((await new AxeBuilder({ page: desk }).analyze()).violations).toEqual([]);
    await desk.getByRole('combobox', { name: /Language|Langue/ }).selectOption('en');
    await desk.getByLabel('Current password').fill(temporary);
    await desk.getByLabel('New password (12 characters or more)').fill('desk new password 456');
    await desk.getByLabel('New password again').fill('desk new password 456');
    await desk.getByRole('button', { name: 'Change password' }).click();
    await desk.getByRole('searchbox').waitFor();

    // Their own change, from the header link: the wrong current password is refused with a message.
    await desk.getByRole('link', { name: 'Change password' }).click();
    await desk.getByLabel('Current password').fill('not the password');
    await desk.getByLabel('New password (12 characters or more)').fill('desk third password 789');
    await desk.getByLabel('New password again').fill('desk third password 789');
    await desk.getByRole('button', { name: 'Change password' }).click();
    await desk.getByRole('alert').filter({ hasText: 'The current password is not right.' }).waitFor();
    await desk.getByLabel('Current password').fill('desk new password 456');
    await desk.getByRole('button', { name: 'Change password' }).click();
    await desk.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    await shoot(desk, 'password-changed');

    // Sign-out: the browser no longer holds the session cookie.
    await desk.getByRole('button', { name: 'Sign out' }).click();
    await desk.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await desk.context().cookies()).filter((c) => c.name === 'loyalty_session')).toEqual([]);
  }, 120_000);
});
