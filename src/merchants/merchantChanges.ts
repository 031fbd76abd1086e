import type { Actor } from '../access/authenticate.js';
import { writeAudit } from '../access/audit.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { DomainError } from '../domainError.js';
import { retryFailedNow } from '../inbox/repo.js';
import { getMerchant, insertMerchant, updateMerchant } from './store/repo.js';
import { publicMerchant, type Merchant, type MerchantCreate, type MerchantPatch } from './store/schema.js';

/** A new merchant and its audit line, in one transaction; null when the id is taken. */
export async function createMerchant(pool: Pool, actor: Actor, input: MerchantCreate): Promise<Merchant | null> {
  return withTransaction(pool, async (db) => {
    const merchant = await insertMerchant(db, input);
    if (!merchant) return null;
    await writeAudit(db, {
      actor,
      merchantId: merchant.id,
      action: 'merchant.create',
      entity: 'merchant',
      entityId: merchant.id,
      after: publicMerchant(merchant),
    });
    return merchant;
  });
}

/**
 * A merchant changed, its failed sales retried when new credentials or a new API base may be what they
 * waited for, and the audit line (old → new), in one transaction; null when there is no such merchant.
 */
export async function changeMerchant(pool: Pool, actor: Actor, id: string, patch: MerchantPatch): Promise<Merchant | null> {
  return withTransaction(pool, async (db) => {
    const before = await getMerchant(db, id);
    if (!before) return null;
    const after = await updateMerchant(db, id, patch);
    // Without a token every signed delivery of the store would be refused (401 for 48 h of retries).
    if (after?.signedNeedsUrlToken && !after.urlTokenHash)
      throw new DomainError('unprocessable', 'URL_TOKEN_REQUIRED', 'signedNeedsUrlToken needs a urlToken (and the webhook registered with ?token=)');
    if (patch.credentials !== undefined || patch.apiBaseUrl !== undefined) await retryFailedNow(db, id);
    await writeAudit(db, {
      actor,
      merchantId: before.id,
      action: 'merchant.update',
      entity: 'merchant',
      entityId: before.id,
      before: publicMerchant(before),
      after: after && publicMerchant(after),
    });
    return after;
  });
}
