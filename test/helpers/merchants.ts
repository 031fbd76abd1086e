import type { Db } from '../../src/db/pool.js';
import { insertMerchant } from '../../src/merchants/store/repo.js';
import type { MerchantCreate } from '../../src/merchants/store/schema.js';

export const SECRET = 'x-series-client-secret-for-tests';

export async function createXMerchant(db: Db, overrides: Partial<MerchantCreate> = {}) {
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
