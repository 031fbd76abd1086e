import type { Db } from '../db/pool.js';
import { tokenHash, type Keyring } from './keyring.js';

/** The merchants columns that hold secrets, encrypted with `merchants.<column>:<id>` as associated data. */
export const MERCHANT_SECRET_COLUMNS = ['webhook_secret', 'url_token', 'access_token', 'refresh_token'] as const;
export type MerchantSecretColumn = (typeof MERCHANT_SECRET_COLUMNS)[number];

export const merchantAad = (column: MerchantSecretColumn, merchantId: string) => `merchants.${column}:${merchantId}`;

export const sealMerchant = (ring: Keyring, column: MerchantSecretColumn, merchantId: string, plain: string | null | undefined): string | null =>
  plain === null || plain === undefined ? null : ring.encrypt(plain, merchantAad(column, merchantId));

export const openMerchant = (ring: Keyring, column: MerchantSecretColumn, merchantId: string, stored: string | null): string | null =>
  stored === null ? null : ring.decrypt(stored, merchantAad(column, merchantId));

/**
 * Re-writes every merchant secret that is in clear (rows from before encryption) or under a key other than
 * the current one. Idempotent: run at every boot and by `npm run secrets -- rotate`. Each row is written
 * only if nobody changed it meanwhile (a token refresh wins; the next run picks it up). Returns rows changed.
 */
export async function sealMerchantSecrets(db: Db, ring: Keyring): Promise<number> {
  const cols = MERCHANT_SECRET_COLUMNS.join(', ');
  const { rows } = await db.query<Record<MerchantSecretColumn, string | null> & { id: string }>(
    `SELECT id, ${cols} FROM merchants WHERE ${MERCHANT_SECRET_COLUMNS.map((c) => `${c} IS NOT NULL`).join(' OR ')}`,
  );
  let changed = 0;
  for (const row of rows) {
    const stale = MERCHANT_SECRET_COLUMNS.filter((c) => row[c] !== null && ring.isStale(row[c]));
    if (stale.length === 0) continue;
    const values: unknown[] = [row.id];
    const sets = stale.map((c) => {
      const plain = openMerchant(ring, c, row.id, row[c]);
      values.push(sealMerchant(ring, c, row.id, plain));
      return `${c} = $${values.length}`;
    });
    if (stale.includes('url_token')) {
      // A clear row written after the migration has no hash yet; the hash does not depend on the key.
      values.push(tokenHash(openMerchant(ring, 'url_token', row.id, row.url_token)!));
      sets.push(`url_token_hash = $${values.length}`);
    }
    const guards = stale.map((c) => {
      values.push(row[c]);
      return `${c} = $${values.length}`;
    });
    const result = await db.query(`UPDATE merchants SET ${sets.join(', ')} WHERE id = $1 AND ${guards.join(' AND ')}`, values);
    changed += result.rowCount ?? 0;
  }
  return changed;
}
