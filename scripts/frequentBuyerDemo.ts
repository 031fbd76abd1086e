/**
 * The README's frequent-buyer walkthrough, run against a running service (`npm start`): enroll a
 * location, ring up three bags and a free one with the fixture-shaped X-Series webhooks, and see the
 * claim in the distributor's list. Lightspeed is stood in for by a small local server that answers the
 * product lookup (the product's UPC) and the reference lists. Usage: TOKEN=<admin token> npm run demo:frequent-buyer
 */
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVICE = process.env.SERVICE_URL ?? 'http://127.0.0.1:3000';
const TOKEN = process.env.TOKEN;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.env.DEMO_ROOT ?? '../..');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(root, 'test/fixtures/frequent-buyer', name), 'utf8')) as Record<string, unknown>;
const KIBBLE = '0adaafb3-6583-11e5-fb60-050b7e8f0a01';
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

/** Lightspeed X-Series, as little of it as the worker asks for here. */
function fakeLightspeed(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith(`/api/2.0/products/${KIBBLE}`)) {
      res.end(JSON.stringify({ data: { id: KIBBLE, name: 'Acana grain-free kibble 5 kg', sku: 'ACANA-5', product_codes: [{ type: 'UPC', code: UPC }] } }));
    } else if (req.url?.startsWith('/api/2.0/')) {
      res.end(JSON.stringify({ data: [] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
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
  const fake = await fakeLightspeed();
  const merchantId = `fb-demo-${randomBytes(3).toString('hex')}`;
  const secret = 'demo-webhook-secret';
  try {
    const purchase = fixture('x-purchase-3-bags.json');
    const redemption = fixture('x-redemption-free-bag.json');
    const outlet = purchase.outlet_id as string;
    const customerId = (purchase.customer as { id: string }).id;
    await call('POST', '/admin/api/merchants', TOKEN, {
      id: merchantId, name: 'Acme Pets (demo)', series: 'x', domainPrefix: merchantId, timezone: 'America/Montreal', webhookSecret: secret,
      credentials: { accessToken: 'demo', refreshToken: 'demo', expiresAt: '2099-01-01T00:00:00Z' }, apiBaseUrl: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
    });
    step('1. merchant', { merchantId });

    const distributor = await call<{ id: number }>('POST', '/admin/api/frequent-buyer/distributors', TOKEN, { name: 'Distribution Québec', regions: ['QC'], requiresAccountNumber: true });
    const offer = await call<{ id: number }>('POST', '/admin/api/frequent-buyer/offers', TOKEN, {
      manufacturer: 'Champion Petfoods', brand: 'Acana', name: 'Buy 3 bags, get 1 free', purchasesRequired: 3, products: [{ upc: UPC }],
      freeItemRule: 'lesser_or_equal_value', startsOn: '2026-01-01', eligibleDistributorIds: [distributor.id],
    });
    step('2. distributor and offer (platform admin)', { distributor, offer });

    await call('PUT', `/admin/api/merchants/${merchantId}/locations/${outlet}`, TOKEN, { name: 'Montréal', region: 'QC' });
    await call('PUT', `/admin/api/merchants/${merchantId}/frequent-buyer/enrollments/${offer.id}/${outlet}`, TOKEN, { distributorId: distributor.id, accountNumber: 'QC-1001' });
    await call('PUT', `/admin/api/merchants/${merchantId}/frequent-buyer/settings`, TOKEN, { redemptionDiscount: 'Frequent Buyer' });
    step('3. location enrolled (the grid)', await call('GET', `/admin/api/merchants/${merchantId}/frequent-buyer/enrollments`, TOKEN));

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

    const cli = execFileSync(process.execPath, [path.join(root, 'dist/src/admin/tokenCli.js'), 'create', '--role', 'distributor', '--name', `${merchantId}-distributor`, '--distributor', String(distributor.id)], { encoding: 'utf8' });
    const distributorToken = cli.trim().split('\n').at(-1)!;
    step("5. the claim in the distributor's list (GET /distributor/api/claims with the distributor's token)", await call('GET', '/distributor/api/claims', distributorToken));
  } finally {
    fake.close();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
