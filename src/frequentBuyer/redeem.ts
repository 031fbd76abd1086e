import type { Db } from '../db/pool.js';
import type { FreeItemRule } from './catalog.js';
import { decideRedemption, type RedemptionVerdict } from './redemption.js';
import { insertClaim } from './store/claims.js';
import { getEnrollmentForClaim } from './store/enrollments.js';
import { getRedemptionRecord, insertRedemption, lockPunchCard, readPunchCard, type RedemptionRecord } from './store/redemptions.js';

export interface RedeemInput {
  merchantId: string;
  sourceKey: string;
  saleId: string | null;
  lineId: string | null;
  customerId: string | null;
  offer: { id: number; name: string; purchasesRequired: number; freeItemRule: FreeItemRule };
  shopId: string | null;
  freeItemPrice: number;
  actor: string;
}

/**
 * Records one redemption, once per source key: checks the card (under a per-card lock, so two
 * redemptions cannot use the same punches), and for an accepted one writes the credit claim to the
 * enrollment's distributor and account number as they are now: `held` while the enrollment is in
 * Temporary Holding, `new` otherwise. Runs inside the caller's transaction.
 */
export async function redeem(db: Db, input: RedeemInput): Promise<RedemptionRecord> {
  const existing = await getRedemptionRecord(db, input.merchantId, input.sourceKey);
  if (existing) return existing;
  const { offer } = input;
  let verdict: RedemptionVerdict;
  const enrollment = input.shopId !== null ? await getEnrollmentForClaim(db, { merchantId: input.merchantId, offerId: offer.id, shopId: input.shopId }) : null;
  if (input.customerId === null) {
    verdict = decideRedemption({
      customerId: null,
      enrolled: !!enrollment,
      offer,
      card: { available: 0, purchasePrices: [] },
      freeItemPrice: input.freeItemPrice,
    });
  } else {
    await lockPunchCard(db, input.merchantId, input.customerId, offer.id);
    const { bought, used, prices } = await readPunchCard(
      db,
      { merchantId: input.merchantId, customerId: input.customerId, offerId: offer.id },
      offer.purchasesRequired,
    );
    verdict = decideRedemption({
      customerId: input.customerId,
      enrolled: !!enrollment,
      offer,
      card: { available: bought - used, purchasePrices: prices ?? [] },
      freeItemPrice: input.freeItemPrice,
    });
  }

  const insertedId = await insertRedemption(db, {
    merchantId: input.merchantId,
    sourceKey: input.sourceKey,
    saleId: input.saleId,
    lineId: input.lineId,
    customerId: input.customerId,
    offerId: offer.id,
    shopId: input.shopId,
    status: verdict.status,
    reasonCode: verdict.status === 'rejected' ? verdict.code : null,
    reason: verdict.status === 'rejected' ? verdict.reason : null,
    punchesUsed: verdict.status === 'accepted' ? verdict.punchesUsed : 0,
    freeItemPrice: input.freeItemPrice,
    actor: input.actor,
  });
  if (insertedId !== null && verdict.status === 'accepted' && enrollment) {
    await insertClaim(db, {
      redemptionId: insertedId,
      merchantId: input.merchantId,
      offerId: offer.id,
      shopId: input.shopId,
      distributorId: enrollment.distributorId,
      accountNumber: enrollment.accountNumber,
      value: input.freeItemPrice,
      status: enrollment.isHolding ? 'held' : 'new',
      actor: input.actor,
    });
  }
  return (await getRedemptionRecord(db, input.merchantId, input.sourceKey))!;
}
