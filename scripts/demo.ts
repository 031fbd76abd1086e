/**
 * `npm run demo`: the service against the fake Lightspeed, a merchant of each series with rules that
 * exercise the seed's four causes (excluded customer type, exempt category, autorewards off until the
 * POS button, points after a delay), a stream of realistic sales, and where to look. Starts the fake
 * (FAKE_LIGHTSPEED_URL, http://127.0.0.1:4010) and the service (SERVICE_URL, http://127.0.0.1:3000)
 * unless they already answer. A second run sends nothing new. `npm run demo -- --clean` removes what it
 * created (the two merchants with everything under them, its tokens, their poll schedulers).
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { insertToken } from '../src/access/tokens.js';
import { loadConfig } from '../src/config.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { updateMerchant } from '../src/merchants/store/repo.js';
import { createRedis } from '../src/queue/connections.js';
import { pollSchedulerId, reevaluateJobId } from '../src/queue/jobs.js';
import { createQueues } from '../src/queue/queues.js';
import { R, X } from '../tools/fake-lightspeed/index.js';
import { ServiceApi } from './demo/api.js';
import { rSales, signedWebhook, xSales, type RDemoSale, type XDemoSale } from './demo/sales.js';
import { fakeAt, serviceAt } from './demo/services.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.env.DEMO_ROOT ?? '../..');
const SERVICE = (process.env.SERVICE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const FAKE = (process.env.FAKE_LIGHTSPEED_URL ?? 'http://127.0.0.1:4010').replace(/\/$/, '');
const X_ID = 'demo-x';
const R_ID = 'demo-r';
const R_ACCOUNT = '424242';
const SECRET = 'demo-webhook-secret';
const TOKEN_NAME = 'npm run demo';
const START = '2026-01-01';

const X_RULES = {
  autoRewards: { enabled: true, startDate: START },
  customerSegments: { excluded: [X.groups.wholesale] },
  exemptions: { categoryIds: [X.categories.prescription] },
  delayDays: 0,
};
const R_RULES = {
  autoRewards: { enabled: false, startDate: START },
  customerSegments: { excluded: [R.customerTypes.wholesale] },
  exemptions: { categoryIds: [R.categories.prescription] },
  delayDays: 30,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line = '') => process.stdout.write(`${line}\n`);

interface SaleView {
  events: Array<{ version: string | number; status: string; lastError: string | null }>;
  decisions: Array<{ status: string; points: number; availableAt: string | null; reasons: Array<{ code: string }> }>;
  rewardsRequest: { source: string } | null;
}

async function clean(pool: Pool): Promise<void> {
  const config = loadConfig();
  const merchants = await pool.query<{ id: string }>(`DELETE FROM merchants WHERE id = ANY($1) RETURNING id`, [[X_ID, R_ID]]);
  const tokens = await pool.query(`DELETE FROM api_tokens WHERE name = $1`, [TOKEN_NAME]);
  const redis = createRedis(config.REDIS_URL, 'producer');
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  for (const id of [X_ID, R_ID]) await queues.poll.removeJobScheduler(pollSchedulerId(id));
  // A re-evaluation job id is fixed per sale and kept an hour once done: left there, it would swallow
  // the next run's button press on the same sale.
  for (const sale of rSales(new Date())) await queues.sales.remove(reevaluateJobId(R_ID, sale.saleId));
  await queues.close();
  redis.disconnect();
  say(
    `removed ${merchants.rowCount} demo merchant(s) (${merchants.rows.map((r) => r.id).join(', ') || 'none'}) with their sales, points, rules and audit rows, ${tokens.rowCount} demo token(s), and their poll schedulers`,
  );
}

/** The merchant, created once; pointed at the fake and resumed if a previous run left it elsewhere or paused. */
async function ensureMerchant(api: ServiceApi, create: Record<string, unknown>): Promise<{ createdAt: string }> {
  const id = create.id as string;
  const found = await api.call<{ createdAt: string; apiBaseUrl: string | null; paused: boolean }>('GET', `/admin/api/merchants/${id}`, undefined, [404]);
  if (found.status === 404) return (await api.call<{ createdAt: string }>('POST', '/admin/api/merchants', create)).body;
  const patch: Record<string, unknown> = {};
  if (found.body.apiBaseUrl !== create.apiBaseUrl) patch.apiBaseUrl = create.apiBaseUrl;
  if (found.body.paused) patch.paused = false;
  if (Object.keys(patch).length) await api.call('PATCH', `/admin/api/merchants/${id}`, patch);
  return found.body;
}

/** A new rules version only when the current one differs in what the demo sets. */
async function ensureRules(api: ServiceApi, id: string, wanted: Record<string, Record<string, unknown> | number>): Promise<void> {
  const current = (await api.call<Record<string, Record<string, unknown> | number>>('GET', `/admin/api/merchants/${id}/rules`)).body;
  const same = Object.entries(wanted).every(([key, value]) =>
    typeof value === 'number'
      ? current[key] === value
      : Object.entries(value).every(([k, v]) => JSON.stringify((current[key] as Record<string, unknown> | undefined)?.[k]) === JSON.stringify(v)),
  );
  if (!same) await api.call('PUT', `/admin/api/merchants/${id}/rules`, wanted);
}

const view = async (api: ServiceApi, merchantId: string, saleId: string) => {
  const res = await api.call<SaleView>('GET', `/admin/api/merchants/${merchantId}/sales/${encodeURIComponent(saleId)}`, undefined, [404]);
  return res.status === 404 ? null : res.body;
};
const hasVersion = (v: SaleView | null, version: number) => Boolean(v?.events.some((e) => Number(e.version) === version));

/** Waits until the sale's `version` is processed (or failed: its error is the demo's error). */
async function settled(api: ServiceApi, merchantId: string, saleId: string, version: number, extra: (v: SaleView) => boolean = () => true): Promise<SaleView> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const v = await view(api, merchantId, saleId);
    const event = v?.events.find((e) => Number(e.version) === version);
    if (event?.status === 'failed') throw new Error(`sale ${saleId} of ${merchantId} failed: ${event.lastError}`);
    if (v && event?.status === 'done' && v.decisions.length && extra(v)) return v;
    if (Date.now() > deadline)
      throw new Error(
        `sale ${saleId} of ${merchantId} (version ${version}) was not processed within 90 s (${event ? `status ${event.status}` : 'not received'}): is a worker running? See .demo/service.log`,
      );
    await sleep(250);
  }
}

async function deliver(api: ServiceApi, fakeUrl: string, sale: XDemoSale): Promise<boolean> {
  if (hasVersion(await view(api, X_ID, sale.id), sale.version)) return false;
  // Lightspeed holds the sale (the reconciliation poll reads it) and sends the webhook, sometimes twice.
  await fetch(`${fakeUrl}/_fake/x/${X_ID}/sales`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sale.payload) });
  const { body, signature } = signedWebhook(SECRET, sale.payload);
  for (let i = 0; i < (sale.id.endsWith('-1') ? 2 : 1); i += 1) {
    const res = await fetch(`${api.base}/webhooks/lightspeed/x/${X_ID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Signature': signature },
      body,
    });
    if (res.status !== 200) throw new Error(`webhook for ${sale.id} → ${res.status} ${await res.text()}`);
  }
  return true;
}

interface Row {
  merchant: string;
  sale: string;
  receipt: string;
  title: string;
  got: string;
  expect: string;
  customerId: string;
}

const outcome = (v: SaleView) => {
  const d = v.decisions.at(-1)!;
  const codes = d.reasons.map((r) => r.code).filter((c) => c !== 'CREDITED' || d.status === 'credited');
  return `${d.status} ${d.points} [${codes.join(', ')}]`;
};
const matches = (got: string, expect: string) => expect.split(' ').every((word) => (/^-?\d+$/.test(word) ? got.includes(` ${word} `) : got.includes(word)));

async function playX(api: ServiceApi, fakeUrl: string, anchor: Date, rows: Row[]): Promise<void> {
  const { first, then } = xSales(anchor);
  let sent = 0;
  for (const sale of first) if (await deliver(api, fakeUrl, sale)) sent += 1;
  for (const sale of first) await settled(api, X_ID, sale.id, sale.version);
  for (const sale of then) if (await deliver(api, fakeUrl, sale)) sent += 1;
  for (const sale of then) await settled(api, X_ID, sale.id, sale.version);
  say(`X-Series: ${sent} sale version(s) sent as signed webhooks${sent ? '' : ' (all already received: nothing new)'}`);
  // One row per sale, at its last version (the voided sale shows its void).
  const last = new Map([...first, ...then].map((sale) => [sale.id, sale]));
  for (const sale of last.values()) {
    const v = (await view(api, X_ID, sale.id))!;
    rows.push({ merchant: X_ID, sale: sale.id, receipt: sale.receipt, title: sale.title, got: outcome(v), expect: sale.expect, customerId: sale.customerId });
  }
}

async function playR(api: ServiceApi, fakeUrl: string, anchor: Date, rows: Row[]): Promise<void> {
  const sales = rSales(anchor);
  const missing: RDemoSale[] = [];
  for (const sale of sales) if (!hasVersion(await view(api, R_ID, sale.saleId), Date.parse(sale.updatetime))) missing.push(sale);
  if (missing.length) {
    for (const sale of missing)
      await fetch(`${fakeUrl}/_fake/r/${R_ACCOUNT}/sales`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sale.sale) });
    // R-Series has no webhooks: the service polls. A backfill of the window reads them now rather than at the next poll.
    await api.call('POST', `/admin/api/merchants/${R_ID}/backfill`, { from: new Date(anchor.getTime() - 86_400_000).toISOString(), to: anchor.toISOString() });
  }
  say(`R-Series: ${missing.length} sale(s) put on the fake Lightspeed and read by a backfill${missing.length ? '' : ' (all already received: nothing new)'}`);
  for (const sale of sales) await settled(api, R_ID, sale.saleId, Date.parse(sale.updatetime));
  for (const sale of sales.filter((s) => s.pressButton)) {
    const before = (await view(api, R_ID, sale.saleId))!;
    if (!before.rewardsRequest) await pressButton(api, fakeUrl, sale);
    await settled(api, R_ID, sale.saleId, Date.parse(sale.updatetime), (v) => v.rewardsRequest !== null && v.decisions.at(-1)!.status !== 'none');
  }
  for (const sale of sales) {
    const v = (await view(api, R_ID, sale.saleId))!;
    rows.push({
      merchant: R_ID,
      sale: sale.saleId,
      receipt: sale.receipt,
      title: sale.title,
      got: outcome(v),
      expect: sale.expect,
      customerId: sale.customerId,
    });
  }
}

/**
 * Staff press the Custom Menus button: the fake signs the link the POS would open, the demo opens it. A
 * service started without the fake's JWKS (LIGHTSPEED_JWKS_URL) refuses the link: the rewards request
 * then goes through the API, as support would.
 */
async function pressButton(api: ServiceApi, fakeUrl: string, sale: RDemoSale): Promise<void> {
  const signed = await fetch(`${fakeUrl}/_fake/r/${R_ACCOUNT}/button`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ buttonUrl: `${api.base}/pos/lightspeed/r/${R_ID}/rewards`, saleId: sale.saleId, customerId: sale.customerId }),
  });
  const { url } = (await signed.json()) as { url: string };
  const res = await fetch(url);
  if (res.ok) {
    say(`R-Series: the POS rewards button pressed on sale ${sale.saleId} (a signed Custom Menus link)`);
    return;
  }
  say(`R-Series: the service refused the signed POS link (${res.status}; is LIGHTSPEED_JWKS_URL the fake's?); requesting rewards through the API instead`);
  await api.call('POST', `/admin/api/merchants/${R_ID}/sales/${sale.saleId}/rewards`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(config.DATABASE_URL, { max: 2 });
  let service: ChildProcess | null = null;
  let fakeStarted = false;
  let stopFake: (() => Promise<void>) | null = null;
  try {
    if (process.argv.includes('--clean')) return await clean(pool);
    const fake = await fakeAt(FAKE);
    fakeStarted = fake.started !== null;
    stopFake = fake.started ? () => fake.started!.stop() : null;
    say(`fake Lightspeed: ${fake.url} (${fake.started ? 'started by the demo' : 'already running'})`);
    const fakeEnv = {
      X_OAUTH_TOKEN_URL: `${fake.url}/api/1.0/token`,
      R_OAUTH_TOKEN_URL: `${fake.url}/auth/oauth/token`,
      LIGHTSPEED_JWKS_URL: `${fake.url}/.well-known/jwks`,
    };
    const started = await serviceAt(root, SERVICE, fakeEnv);
    service = started.started;
    say(`service: ${SERVICE} (${service ? 'started by the demo, log in .demo/service.log' : 'already running'})`);
    if (started.firstToken) say(`\nFirst start: an admin token was created. Keep it, it is shown only once:\n\n  ${started.firstToken}\n`);
    const { token, record } = await insertToken(pool, { name: TOKEN_NAME, role: 'admin' });
    const api = new ServiceApi(SERVICE, token);
    try {
      const probe = await api.call('GET', '/admin/api/merchants', undefined, [401]);
      if (probe.status === 401)
        throw new Error(
          `the service at ${SERVICE} does not know the demo's token: does it use this DATABASE_URL (${new URL(config.DATABASE_URL).host}${new URL(config.DATABASE_URL).pathname})?`,
        );
      const credentials = { accessToken: 'demo-access', refreshToken: 'demo-refresh', expiresAt: '2099-01-01T00:00:00Z' };
      const x = await ensureMerchant(api, {
        id: X_ID,
        name: 'Demo pet store (X-Series)',
        series: 'x',
        domainPrefix: X_ID,
        timezone: 'America/Montreal',
        webhookSecret: SECRET,
        apiBaseUrl: `${fake.url}/x/${X_ID}`,
        credentials,
      });
      const r = await ensureMerchant(api, {
        id: R_ID,
        name: 'Demo pet store (R-Series)',
        series: 'r',
        accountId: R_ACCOUNT,
        timezone: 'America/Montreal',
        apiBaseUrl: fake.url,
        credentials,
      });
      await ensureRules(api, X_ID, X_RULES);
      await ensureRules(api, R_ID, R_RULES);
      const rows: Row[] = [];
      await playX(api, fake.url, new Date(x.createdAt), rows);
      await playR(api, fake.url, new Date(r.createdAt), rows);
      report(rows);
      const balances = await Promise.all(
        [
          [X_ID, X.customers.jane],
          [R_ID, R.customers.jane],
        ].map(async ([m, c]) => ({
          m,
          c,
          v: (await api.call<{ available: number; pending: number }>('GET', `/admin/api/merchants/${m}/customers/${c}`)).body,
        })),
      );
      say("\nJane Doe's balance:");
      for (const { m, c, v } of balances) say(`  ${m}: ${v.available} available, ${v.pending} pending    ${SERVICE}/console/merchants/${m}/customers/${c}`);
      say(`
Where to look (sign in first: npm run user -- create --email you@example.com --name You --role admin):
  ${SERVICE}/console                       find a sale by receipt number (${rows
    .map((r) => r.receipt)
    .slice(0, 3)
    .join(', ')}, …), Sale ID or email
  ${SERVICE}/console/merchants/${X_ID}/sales/${rows.find((r) => r.merchant === X_ID)!.sale}    a sale page: the verdict and the checklist of causes
  ${SERVICE}/console/merchants/${R_ID}/rules      the rules of each demo merchant
  ${SERVICE}/admin/api/merchants/${X_ID}/sales/<sale id>   the same by API, with an admin token
Rules: ${X_ID} ${JSON.stringify(X_RULES)}
       ${R_ID} ${JSON.stringify(R_RULES)}
npm run demo -- --clean removes the demo merchants and everything under them.`);
      const wrong = rows.filter((row) => !matches(row.got, row.expect));
      if (wrong.length)
        throw new Error(
          `${wrong.length} sale(s) did not come out as the demo expects: ${wrong.map((w) => `${w.merchant} ${w.sale}: ${w.got}, expected ${w.expect}`).join('; ')}`,
        );
    } finally {
      // Its own token goes when the demo is done with it (a second run leaves no trace).
      await pool.query(`DELETE FROM api_tokens WHERE id = $1`, [record.id]);
    }
  } finally {
    await pool.end();
  }
  if (service || fakeStarted) await keepRunning(service, stopFake);
}

function report(rows: Row[]): void {
  say('\nmerchant  receipt        sale                 outcome                                    ');
  for (const row of rows)
    say(
      `${row.merchant.padEnd(9)} ${row.receipt.padEnd(14)} ${row.sale.padEnd(20)} ${row.title}\n${''.padEnd(46)}→ ${row.got}${matches(row.got, row.expect) ? '' : `   ✗ expected ${row.expect}`}`,
    );
}

/**
 * What the demo started keeps running for the reader to look; Ctrl-C stops it. Its merchants are paused
 * first so that no poller is left calling a fake that is gone (the next `npm run demo` resumes them).
 */
async function keepRunning(service: ChildProcess | null, stopFake: (() => Promise<void>) | null): Promise<void> {
  say(
    `\n${[service && 'The service', stopFake && 'the fake Lightspeed'].filter(Boolean).join(' and ')} keep running for you to look. Ctrl-C stops them (the demo merchants are paused first).`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const config = loadConfig();
  const pool = createPool(config.DATABASE_URL, { max: 1 });
  for (const id of [X_ID, R_ID]) await updateMerchant(pool, id, { paused: true }).catch(() => undefined);
  const redis = createRedis(config.REDIS_URL, 'producer');
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  for (const id of [X_ID, R_ID]) await queues.poll.removeJobScheduler(pollSchedulerId(id)).catch(() => undefined);
  await queues.close();
  redis.disconnect();
  await pool.end();
  if (service) {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
  }
  await stopFake?.();
  say('stopped; the demo merchants are paused until the next npm run demo');
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
