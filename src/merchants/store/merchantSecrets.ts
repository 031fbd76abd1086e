import type { Db } from '../../db/pool.js';
import type { Keyring } from '../../secrets/keyring.js';

/** The merchants columns that hold secrets, encrypted with `merchants.<column>:<id>` as associated data. */
export const MERCHANT_SECRET_COLUMNS = ['webhook_secret', 'url_token', 'access_token', 'refresh_token'] as const;
export type MerchantSecretColumn = (typeof MERCHANT_SECRET_COLUMNS)[number];

export const merchantAad = (column: MerchantSecretColumn, merchantId: string) => `merchants.${column}:${merchantId}`;

export const sealMerchant = (ring: Keyring, column: MerchantSecretColumn, merchantId: string, plain: string | null | undefined): string | null =>
  plain === null || plain === undefined ? null : ring.encrypt(plain, merchantAad(column, merchantId));

export const openMerchant = (ring: Keyring, column: MerchantSecretColumn, merchantId: string, stored: string | null): string | null =>
  stored === null ? null : ring.decrypt(stored, merchantAad(column, merchantId));

export type MerchantSecretRow = Record<MerchantSecretColumn, string | null> & { id: string };

/** Every merchant holding at least one secret, with the secrets as stored (sealed, or in clear from before encryption). */
export async function listMerchantSecretRows(db: Db): Promise<MerchantSecretRow[]> {
  const { rows } = await db.query<MerchantSecretRow>(
    `SELECT id, ${MERCHANT_SECRET_COLUMNS.join(', ')} FROM merchants WHERE ${MERCHANT_SECRET_COLUMNS.map((c) => `${c} IS NOT NULL`).join(' OR ')}`,
  );
  return rows;
}

/** One column's new sealed value, and the stored value it replaces (the write is skipped if that changed meanwhile). */
export interface ResealedColumn {
  column: MerchantSecretColumn;
  sealed: string | null;
  was: string;
}

/**
 * Re-writes a merchant's secrets (and the url token's hash, which does not depend on the key), only if each
 * column still holds what was read: a token refresh in between wins. Returns whether the row was written.
 */
export async function resealMerchantSecretRow(db: Db, id: string, columns: ResealedColumn[], urlTokenHash: string | null): Promise<boolean> {
  const values: unknown[] = [id];
  const sets = columns.map((c) => {
    values.push(c.sealed);
    return `${c.column} = $${values.length}`;
  });
  if (urlTokenHash !== null) {
    values.push(urlTokenHash);
    sets.push(`url_token_hash = $${values.length}`);
  }
  const guards = columns.map((c) => {
    values.push(c.was);
    return `${c.column} = $${values.length}`;
  });
  const result = await db.query(`UPDATE merchants SET ${sets.join(', ')} WHERE id = $1 AND ${guards.join(' AND ')}`, values);
  return (result.rowCount ?? 0) > 0;
}
