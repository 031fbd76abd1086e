import type { Db } from '../db/pool.js';
import { endpointSecretAad, resealEndpointSecretRow, sealedEndpointSecrets } from '../events/store/endpointSecretRows.js';
import type { Keyring } from '../secrets/keyring.js';
import { sealMerchantSecrets } from '../merchants/sealMerchantSecrets.js';

/**
 * Re-writes every webhook endpoint signing secret (current and previous) that is in clear or under a key
 * other than the current one. Idempotent. Returns rows changed.
 */
export async function sealEndpointSecrets(db: Db, ring: Keyring): Promise<number> {
  let changed = 0;
  for (const row of await sealedEndpointSecrets(db)) {
    const stalePrevious = row.previous_secret !== null && ring.isStale(row.previous_secret);
    if (!ring.isStale(row.secret) && !stalePrevious) continue;
    const reseal = (column: 'secret' | 'previous_secret', stored: string) => {
      const aad = endpointSecretAad(column, row.id);
      return ring.isStale(stored) ? ring.encrypt(ring.decrypt(stored, aad), aad) : stored;
    };
    const next = {
      secret: reseal('secret', row.secret),
      previous_secret: row.previous_secret === null ? null : reseal('previous_secret', row.previous_secret),
    };
    if (await resealEndpointSecretRow(db, row, next)) changed += 1;
  }
  return changed;
}

/** Every secret the service stores, sealed under the current key: run at boot and by `npm run secrets -- rotate`. */
export async function sealAllSecrets(db: Db, ring: Keyring): Promise<{ merchants: number; endpoints: number }> {
  return { merchants: await sealMerchantSecrets(db, ring), endpoints: await sealEndpointSecrets(db, ring) };
}
