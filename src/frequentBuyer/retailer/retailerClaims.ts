import type { Actor } from '../../access/authenticate.js';
import { writeAudit } from '../../access/audit.js';
import { withTransaction, type Pool } from '../../db/pool.js';
import { DomainError, missing } from '../../domainError.js';
import { toMinor } from '../../lightspeed/money.js';
import { redeem } from '../redeem.js';
import type { RedemptionRecord } from '../store/redemptions.js';
import { resubmitProblem, resubmitTarget, type Correction } from '../resubmitRule.js';
import { getClaim, lockClaimForCorrection, transitionClaims } from '../store/claims.js';
import { getDistributor } from '../store/distributors.js';
import { insertDistributorRequest, type DistributorRequestRow } from '../store/distributorRequests.js';
import { getEnrollment } from '../store/enrollments.js';
import { getLocation } from '../store/locations.js';
import { getOfferEligibility, getOfferTerms } from '../store/offers.js';
import { redemptionExists } from '../store/redemptions.js';
import { getSettings, upsertSettings, type FrequentBuyerSettings } from '../store/settings.js';

// The retailer's side of frequent-buyer programs, each change in one transaction with its audit row.

export async function saveSettings(pool: Pool, actor: Actor, merchantId: string, settings: FrequentBuyerSettings): Promise<void> {
  await withTransaction(pool, async (db) => {
    const before = await getSettings(db, merchantId);
    await upsertSettings(db, merchantId, settings);
    await writeAudit(db, { actor, merchantId, action: 'frequent_buyer.settings', entity: 'merchant', entityId: merchantId, before, after: settings });
  });
}

export interface ManualRedemption {
  customerId: string;
  offerId: number;
  shopId: string;
  /** A decimal string such as "54.99", as the request gave it (and as the audit row keeps it). */
  freeItemPrice: string;
  saleId?: string;
  idempotencyKey: string;
}

/** A redemption recorded by a person: once per idempotency key (`repeated` says it was known already). */
export async function recordRedemption(
  pool: Pool,
  actor: Actor,
  merchantId: string,
  input: ManualRedemption,
): Promise<{ record: RedemptionRecord; repeated: boolean }> {
  return withTransaction(pool, async (db) => {
    const offer = await getOfferTerms(db, input.offerId);
    if (!offer) throw missing(`offer ${input.offerId}`);
    const sourceKey = `api:${input.idempotencyKey}`;
    const known = await redemptionExists(db, merchantId, sourceKey);
    const record = await redeem(db, {
      merchantId,
      sourceKey,
      saleId: input.saleId ?? null,
      lineId: null,
      customerId: input.customerId,
      offer,
      shopId: input.shopId,
      freeItemPrice: toMinor(input.freeItemPrice),
      actor: actor.name,
    });
    // A person's redemption creates a distributor credit claim: who did it is on record (once per key).
    if (!known)
      await writeAudit(db, {
        actor,
        merchantId,
        action: 'redemption.create',
        entity: 'redemption',
        entityId: String((record as { id?: unknown }).id ?? input.idempotencyKey),
        after: { ...input },
      });
    return { record, repeated: known };
  });
}

/**
 * A denied claim, corrected and sent again (see resubmitRule.ts for where it goes and when it may):
 * 409 CLAIM_NOT_DENIED for a claim in another state, 422 CLAIM_NOT_CORRECTED when the correction fails.
 */
export async function resubmitClaim(pool: Pool, actor: Actor, merchantId: string, claimId: number, input: Correction & { note?: string }) {
  return withTransaction(pool, async (db) => {
    const current = await lockClaimForCorrection(db, merchantId, claimId);
    if (!current) throw missing(`claim ${claimId}`);
    if (current.status !== 'denied')
      throw new DomainError('conflict', 'CLAIM_NOT_DENIED', `claim ${claimId} is ${current.status}; only a denied claim is resubmitted`);
    const claim = { id: claimId, ...current };
    const target = resubmitTarget(claim, input, await getEnrollment(db, { merchantId, offerId: current.offerId, shopId: current.shopId }));
    const problem = resubmitProblem({
      claim,
      target,
      distributor: await getDistributor(db, target.distributorId),
      // The claim's offer exists: a foreign key says so.
      offer: (await getOfferEligibility(db, current.offerId))!,
      location: await getLocation(db, { merchantId, shopId: current.shopId }),
    });
    if (problem) throw problem;
    const before = { distributorId: current.distributorId, accountNumber: current.accountNumber };
    const after = { distributorId: target.distributorId, accountNumber: target.accountNumber ?? null };
    await transitionClaims(db, [claimId], ['denied'], {
      actor: actor.name,
      to: 'resubmitted',
      note: input.note ?? null,
      details: { before, after },
      assign: { distributorId: after.distributorId, accountNumber: after.accountNumber, denialReason: null, denialNote: null, batchId: null },
    });
    await writeAudit(db, { actor, merchantId, action: 'claim.resubmit', entity: 'claim', entityId: String(claimId), before, after });
    return getClaim(db, claimId);
  });
}

/** A retailer asks for a distributor that is not listed. */
export async function requestDistributor(
  pool: Pool,
  actor: Actor,
  merchantId: string,
  input: { offerId?: number; distributorName: string; contact: string; note?: string },
): Promise<DistributorRequestRow> {
  return withTransaction(pool, async (db) => {
    const inserted = await insertDistributorRequest(db, {
      merchantId,
      offerId: input.offerId ?? null,
      distributorName: input.distributorName,
      contact: input.contact,
      note: input.note ?? null,
      requestedBy: actor.name,
    });
    await writeAudit(db, {
      actor,
      merchantId,
      action: 'distributor_request.create',
      entity: 'distributor_request',
      entityId: String(inserted.id),
      after: inserted,
    });
    return inserted;
  });
}
