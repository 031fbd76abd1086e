import type { Db } from '../db/pool.js';
import { tokenHash, type Keyring } from '../secrets/keyring.js';
import { listMerchantSecretRows, MERCHANT_SECRET_COLUMNS, openMerchant, resealMerchantSecretRow, sealMerchant } from './store/merchantSecrets.js';

/**
 * Re-writes every merchant secret that is in clear (rows from before encryption) or under a key other than
 * the current one. Idempotent: run at every boot and by `npm run secrets -- rotate`. Each row is written
 * only if nobody changed it meanwhile (a token refresh wins; the next run picks it up). Returns rows changed.
 */
export async function sealMerchantSecrets(db: Db, ring: Keyring): Promise<number> {
  let changed = 0;
  for (const row of await listMerchantSecretRows(db)) {
    const stale = MERCHANT_SECRET_COLUMNS.filter((c) => row[c] !== null && ring.isStale(row[c]));
    if (stale.length === 0) continue;
    const columns = stale.map((column) => ({
      column,
      sealed: sealMerchant(ring, column, row.id, openMerchant(ring, column, row.id, row[column])),
      was: row[column]!,
    }));
    // A clear row written after the migration has no hash yet; the hash does not depend on the key.
    const hash = stale.includes('url_token') ? tokenHash(openMerchant(ring, 'url_token', row.id, row.url_token)!) : null;
    if (await resealMerchantSecretRow(db, row.id, columns, hash)) changed += 1;
  }
  return changed;
}
