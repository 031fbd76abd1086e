import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import nock from 'nock';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../../src/http/app.js';
import { canonicalButtonUrl } from '../../../../src/lightspeed/r/buttonSignature.js';
import { routeTable } from '../../../../src/routes.js';
import { createTestContext, type TestContext } from '../../../helpers/context.js';
import { createRMerchant } from '../../../helpers/merchants.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const PUBLIC = 'https://loyalty.example.com';
const PATH = '/pos/lightspeed/r/rpets/rewards';
const JWKS_HOST = 'https://jwks.test';

const keyPair = (kid: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as object), kid, alg: 'RS256', use: 'sig' } };
};
const k1 = keyPair('k1');
const k2 = keyPair('k2');

/** Builds a button URL the way the POS would: parameters, then the RS256 signature over the canonical URL. */
function signedQuery(overrides: Record<string, string> = {}, key: { kid: string; privateKey: KeyObject } = k1): Array<[string, string]> {
  const params: Array<[string, string]> = Object.entries({
    type: 'sale',
    accountID: '12345',
    employeeID: '3',
    saleID: '51234',
    customerID: '877',
    shopID: '1',
    registerID: '1',
    returnURL: 'https://us.merchantos.com/register.php?sale_id=51234',
    exp: String(Math.floor(Date.now() / 1000) + 300),
    kid: key.kid,
    alg: 'RS256',
    ...overrides,
  });
  const signature = sign('RSA-SHA256', Buffer.from(canonicalButtonUrl(PUBLIC, PATH, toQuery(params))), key.privateKey).toString('base64url');
  return [...params, ['signature', signature]];
}
const toQuery = (params: Array<[string, string]>) => new URLSearchParams(params).toString();
const click = (params: Array<[string, string]>) => request(app).get(`${PATH}?${toQuery(params)}`);
const requests = async () => (await ctx.pool.query(`SELECT sale_id, source, requested_by FROM rewards_requests`)).rows;

beforeAll(async () => {
  ctx = await createTestContext({ PUBLIC_URL: PUBLIC, LIGHTSPEED_JWKS_URL: `${JWKS_HOST}/.well-known/jwks`, LIGHTSPEED_JWKS_MIN_REFETCH_MS: 0 });
  app = createApp(ctx, routeTable(ctx));
  await createRMerchant(ctx.pool);
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
beforeEach(async () => {
  await ctx.pool.query('DELETE FROM rewards_requests');
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('R-Series POS rewards button', () => {
  it('a genuine link whose parameters hold a space, a tilde, a plus and non-ASCII, encoded the PHP way, is accepted', async () => {
    nock(JWKS_HOST)
      .get('/.well-known/jwks')
      .reply(200, { keys: [k1.jwk] });
    const exp = String(Math.floor(Date.now() / 1000) + 300);
    // As PHP's http_build_query writes it: space as +, ~ as %7E, + as %2B, UTF-8 percent-encoded.
    const query = `type=sale&accountID=12345&employeeID=3&saleID=51234&customerID=&shopID=1&registerID=1&returnURL=https%3A%2F%2Fus.merchantos.com%2Fregister.php%3Fsale_id%3D51234&note=Zo%C3%A9+%7E+1%2B1&exp=${exp}&kid=k1&alg=RS256`;
    // What Lightspeed signs, normalized by hand (RFC 3986: unreserved decoded, the rest as sent, sorted).
    const canonical = `${PUBLIC}${PATH}?accountID=12345&alg=RS256&customerID=&employeeID=3&exp=${exp}&kid=k1&note=Zo%C3%A9+~+1%2B1&registerID=1&returnURL=https%3A%2F%2Fus.merchantos.com%2Fregister.php%3Fsale_id%3D51234&saleID=51234&shopID=1&type=sale`;
    const signature = sign('RSA-SHA256', Buffer.from(canonical), k1.privateKey).toString('base64url');
    const res = await request(app).get(`${PATH}?${query}&signature=${signature}`);
    expect(res.status).toBe(200);
    expect(await requests()).toHaveLength(1);
  });

  it('a valid click records the request once, queues a re-evaluation, and links back to the sale', async () => {
    nock(JWKS_HOST)
      .get('/.well-known/jwks')
      .reply(200, { keys: [k1.jwk] });
    const res = await click(signedQuery());
    expect(res.status).toBe(200);
    expect(res.text).toContain('Rewards requested for sale 51234');
    expect(res.text).toContain('href="https://us.merchantos.com/register.php?sale_id=51234"');
    expect(await requests()).toEqual([{ sale_id: '51234', source: 'pos', requested_by: 'pos employee 3' }]);
    expect((await ctx.queues.sales.getJobs(['waiting'])).map((j) => [j.name, j.data])).toEqual([
      // Named like a sale job; the sale has not arrived yet, so no receipt number is known.
      ['reevaluate rpets 51234', { merchantId: 'rpets', saleId: '51234' }],
    ]);
    // Clicked twice: still one request. The keys are cached (no second JWKS fetch).
    expect((await click(signedQuery())).status).toBe(200);
    expect(await requests()).toHaveLength(1);
  });

  it('parameter order does not matter (they are sorted before verifying)', async () => {
    const params = signedQuery();
    expect((await click([...params].reverse())).status).toBe(200);
  });

  it.each([
    ['expired', () => signedQuery({ exp: String(Math.floor(Date.now() / 1000) - 1) }), 'expired'],
    ['a tampered parameter', () => signedQuery().map(([k, v]): [string, string] => (k === 'saleID' ? [k, '51235'] : [k, v])), 'does not match'],
    ['no signature', () => signedQuery().filter(([k]) => k !== 'signature'), 'not signed'],
    ['another store', () => signedQuery({ accountID: '99999' }), 'not for this store'],
  ])('%s: 403 page, nothing recorded', async (_name, build, why) => {
    const res = await click(build());
    expect(res.status).toBe(403);
    expect(res.text).toContain(why);
    expect(await requests()).toEqual([]);
  });

  it('an unknown kid refetches the JWKS (key rotation) and then verifies', async () => {
    nock(JWKS_HOST)
      .get('/.well-known/jwks')
      .reply(200, { keys: [k1.jwk, k2.jwk] });
    const res = await click(signedQuery({}, k2));
    expect(res.status).toBe(200);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
