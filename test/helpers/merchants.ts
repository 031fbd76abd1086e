import type { Db } from '../../src/db/pool.js';
import { insertMerchant } from '../../src/merchants/store/repo.js';
import type { MerchantCreate } from '../../src/merchants/store/schema.js';

export const SECRET = 'x-series-client-secret-for-tests';

/** The outlet and register of the X fixtures (and of the fake Lightspeed's store). */
export const X_OUTLET = '0adaafb3-6583-11e5-fb60-050b7e8c9a3e';
export const X_REGISTER = '0adaafb3-6583-11e5-fb60-050b7e8d0c0e';

/** Records outlets as Lightspeed would list them for the merchant, so its webhooks are bound without a fetch. */
export async function seedOutlets(db: Db, merchantId: string, outlets: string[] = [X_OUTLET], registers: string[] = [X_REGISTER]) {
  await db.query(
    `INSERT INTO merchant_outlets (merchant_id, kind, ref_id)
     SELECT $1, 'outlet', unnest($2::text[]) UNION ALL SELECT $1, 'register', unnest($3::text[]) ON CONFLICT DO NOTHING`,
    [merchantId, outlets, registers],
  );
}

/** An X-Series merchant whose outlets are the fixtures' (`outlets: false` to leave them to be fetched). */
export async function createXMerchant(db: Db, overrides: Partial<MerchantCreate> = {}, opts: { outlets?: boolean } = {}) {
  const merchant = await insertMerchant(db, {
    id: 'acme',
    name: 'Acme Pets',
    series: 'x',
    domainPrefix: overrides.id ?? 'acme',
    timezone: 'America/Montreal',
    webhookSecret: SECRET,
    credentials: { accessToken: 'x-access', refreshToken: 'x-refresh', expiresAt: '2030-01-01T00:00:00Z' },
    ...overrides,
  });
  if (!merchant) throw new Error('merchant exists');
  if (opts.outlets !== false) await seedOutlets(db, merchant.id);
  return merchant;
}

export async function createRMerchant(db: Db, overrides: Partial<MerchantCreate> = {}) {
  const merchant = await insertMerchant(db, {
    id: 'rpets',
    name: 'R Pets',
    series: 'r',
    accountId: '12345',
    timezone: 'America/Montreal',
    credentials: { accessToken: 'r-access', refreshToken: 'r-refresh', expiresAt: '2030-01-01T00:00:00Z' },
    ...overrides,
  });
  if (!merchant) throw new Error('merchant exists');
  return merchant;
}
