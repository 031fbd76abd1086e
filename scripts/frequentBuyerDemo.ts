/**
 * The README's frequent-buyer walkthrough, run against a running service (`npm start`): enroll a
 * location, ring up three bags and a free one with the fixture-shaped X-Series webhooks, and see the
 * claim in the distributor's list. Lightspeed is the development fake (tools/fake-lightspeed: its catalogue
 * has the fixtures' Acana bag with its UPC) at FAKE_LIGHTSPEED_URL (http://127.0.0.1:4010), started here
 * when none answers. Idempotent: one merchant `fb-demo`, its distributor and offer found by name before
 * anything is created. When the demo started the fake, the merchant is paused at the end, so that no
 * poller keeps calling a port nobody listens on (the next run resumes it).
 * Usage: TOKEN=<admin token> npm run demo:frequent-buyer
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeAt } from './demo/services.js';

const SERVICE = process.env.SERVICE_URL ?? 'http://127.0.0.1:3000';
const FAKE = (process.env.FAKE_LIGHTSPEED_URL ?? 'http://127.0.0.1:4010').replace(/\/$/, '');
const MERCHANT = 'fb-demo';
const DISTRIBUTOR = 'Distribution Québec';
const OFFER = 'Buy 3 bags, get 1 free';
const TOKEN = process.env.TOKEN;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.env.DEMO_ROOT ?? '../..');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(root, 'test/fixtures/frequent-buyer', name), 'utf8')) as Record<string, unknown>;
const UPC = '064992523107';

async function call<T = unknown>(method: string, url: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${SERVICE}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

function step(title: string, value: unknown) {
  process.stdout.write(`\n## ${title}\n${JSON.stringify(value, null, 2)}\n`);
}

async function deliver(merchantId: string, secret: string, payload: unknown) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  const res = await fetch(`${SERVICE}/webhooks/lightspeed/x/${merchantId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Signature': `signature=${signature},algorithm=HMAC-SHA256` },
    body,
  });
  if (res.status !== 200) throw new Error(`webhook → ${res.status} ${await res.text()}`);
}

async function main() {
  if (!TOKEN) throw new Error('Set TOKEN to an admin token (npm start prints one the first time; or npm run token -- create --role admin --name me).');
  const fake = await fakeAt(FAKE);
  const merchantId = MERCHANT;
  const secret = 'demo-webhook-secret';
  const apiBaseUrl = `${fake.url}/x/${merchantId}`;
  try {
    const purchase = fixture('x-purchase-3-bags.json');
    const redemption = fixture('x-redemption-free-bag.json');
    const outlet = purchase.outlet_id as string;
    const customerId = (purchase.customer as { id: string }).id;
    const existing = await fetch(`${SERVICE}/admin/api/merchants/${merchantId}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    if (existing.status === 404) {
      await call('POST', '/admin/api/merchants', TOKEN, {
        id: merchantId,
        name: 'Acme Pets (frequent-buyer demo)',
        series: 'x',
        domainPrefix: merchantId,
        timezone: 'America/Montreal',
        webhookSecret: secret,
        credentials: { accessToken: 'demo', refreshToken: 'demo', expiresAt: '2099-01-01T00:00:00Z' },
        apiBaseUrl,
      });
    } else {
      const m = (await existing.json()) as { apiBaseUrl: string | null; paused: boolean };
      if (m.apiBaseUrl !== apiBaseUrl || m.paused) await call('PATCH', `/admin/api/merchants/${merchantId}`, TOKEN, { apiBaseUrl, paused: false });
    }
    step('1. merchant', { merchantId, lightspeed: fake.url });

    const distributors = await call<Array<{ id: number; name: string }>>('GET', '/admin/api/frequent-buyer/distributors', TOKEN);
    const distributor =
      distributors.find((d) => d.name === DISTRIBUTOR) ??
      (await call<{ id: number }>('POST', '/admin/api/frequent-buyer/distributors', TOKEN, {
        name: DISTRIBUTOR,
        regions: ['QC'],
        requiresAccountNumber: true,
      }));
    await call('PUT', `/admin/api/merchants/${merchantId}/locations/${outlet}`, TOKEN, { name: 'Montréal', region: 'QC' });
    type GridRow = { offerId: number; offerName: string; shopId: string; distributorId: number | null; accountNumber: string | null };
    const grid = () => call<GridRow[]>('GET', `/admin/api/merchants/${merchantId}/frequent-buyer/enrollments`, TOKEN);
    // Its own offer: one of the same name and eligible for its distributor. The name alone may be another's
    // (the README's walkthrough by hand makes an offer of the same name, eligible for its own distributor).
    const offers = await call<Array<{ id: number; name: string; eligibleDistributors: Array<{ id: number }> }>>(
      'GET',
      '/admin/api/frequent-buyer/offers',
      TOKEN,
    );
    const mine = offers.find((o) => o.name === OFFER && o.eligibleDistributors.some((d) => d.id === distributor.id));
    const known = mine ? (await grid()).find((row) => row.offerId === mine.id) : undefined;
    const offer = mine
      ? { id: mine.id }
      : await call<{ id: number }>('POST', '/admin/api/frequent-buyer/offers', TOKEN, {
          manufacturer: 'Champion Petfoods',
          brand: 'Acana',
          name: OFFER,
          purchasesRequired: 3,
          products: [{ upc: UPC }],
          freeItemRule: 'lesser_or_equal_value',
          startsOn: '2026-01-01',
          eligibleDistributorIds: [distributor.id],
        });
    step('2. distributor and offer (platform admin)', { distributor, offer });

    if (!(known && known.distributorId === distributor.id && known.accountNumber === 'QC-1001')) {
      await call('PUT', `/admin/api/merchants/${merchantId}/frequent-buyer/enrollments/${offer.id}/${outlet}`, TOKEN, {
        distributorId: distributor.id,
        accountNumber: 'QC-1001',
      });
    }
    await call('PUT', `/admin/api/merchants/${merchantId}/frequent-buyer/settings`, TOKEN, { redemptionDiscount: 'Frequent Buyer' });
    step(
      '3. location enrolled (the grid)',
      (await grid()).filter((row) => row.offerId === offer.id),
    );

    await deliver(merchantId, secret, purchase);
    await deliver(merchantId, secret, redemption);
    const saleUrl = `/admin/api/merchants/${merchantId}/sales/${redemption.id as string}`;
    let view: { frequentBuyer?: { redemptions?: unknown[] } } | null = null;
    for (let i = 0; i < 100 && !view?.frequentBuyer?.redemptions?.length; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      view = await fetch(`${SERVICE}${saleUrl}`, { headers: { Authorization: `Bearer ${TOKEN}` } }).then((r) => (r.ok ? r.json() : null));
    }
    if (!view?.frequentBuyer?.redemptions?.length) throw new Error('the redemption was not processed within 20 s: is a worker running (npm start runs one)?');
    step('4. three bags, then the free one: the card and the redemption in the sale view', {
      card: await call('GET', `/admin/api/merchants/${merchantId}/frequent-buyer/customers/${customerId}/cards`, TOKEN),
      redemptions: view.frequentBuyer.redemptions,
    });

    const cli = execFileSync(
      process.execPath,
      [
        path.join(root, 'dist/src/access/tokenCli.js'),
        'create',
        '--role',
        'distributor',
        '--name',
        `${merchantId}-distributor`,
        '--distributor',
        String(distributor.id),
      ],
      { encoding: 'utf8' },
    );
    const distributorToken = cli.trim().split('\n').at(-1)!;
    step(
      "5. the claim in the distributor's list (GET /distributor/api/claims with the distributor's token)",
      await call('GET', '/distributor/api/claims', distributorToken),
    );
  } finally {
    if (fake.started) {
      // The fake stops with this process: a merchant left pointing at it would poll a dead port.
      await call('PATCH', `/admin/api/merchants/${merchantId}`, TOKEN, { paused: true }).catch(() => undefined);
      await fake.started.stop();
    }
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
