import type { Actor } from '../../access/authenticate.js';
import { writeAudit } from '../../access/audit.js';
import { withTransaction, type Pool } from '../../db/pool.js';
import { DomainError, missing } from '../../domainError.js';
import { enrollmentProblem } from '../enrollment.js';
import { transitionClaims, findClaimIds } from '../store/claims.js';
import { getDistributor, insertDistributor, type DistributorRow } from '../store/distributors.js';
import { lockEnrollment, upsertEnrollment, type EnrollmentKey } from '../store/enrollments.js';
import { getLocation, upsertLocation, type LocationKey } from '../store/locations.js';
import { getOfferEligibility, insertOffer, type OfferInput } from '../store/offers.js';
import { getDistributorRequest, lockDistributorRequestStatus, setDistributorRequestStatus } from '../store/consoleViews.js';

// Frequent-buyer setup, each change in one transaction with its audit row (old → new).

export async function createDistributor(
  pool: Pool,
  actor: Actor,
  input: { name: string; regions: string[]; requiresAccountNumber: boolean },
): Promise<DistributorRow> {
  return withTransaction(pool, async (db) => {
    const created = await insertDistributor(db, input);
    await writeAudit(db, { actor, action: 'distributor.create', entity: 'distributor', entityId: String(created.id), after: created });
    return created;
  });
}

export async function createOffer(pool: Pool, actor: Actor, offer: OfferInput): Promise<OfferInput & { id: number }> {
  return withTransaction(pool, async (db) => {
    const id = await insertOffer(db, offer);
    await writeAudit(db, { actor, action: 'offer.create', entity: 'offer', entityId: String(id), after: offer });
    return { id, ...offer };
  });
}

export async function setLocation(pool: Pool, actor: Actor, key: LocationKey, input: { name: string; region: string }): Promise<void> {
  await withTransaction(pool, async (db) => {
    const before = await getLocation(db, key);
    await upsertLocation(db, key, input);
    await writeAudit(db, {
      actor,
      merchantId: key.merchantId,
      action: 'location.upsert',
      entity: 'location',
      entityId: key.shopId,
      before: before ?? undefined,
      after: input,
    });
  });
}

/**
 * Chooses an enrollment's distributor and account number, after the enrollment checks (422
 * ENROLLMENT_INVALID), and sends the claims that waited in Temporary Holding to it.
 */
export async function setEnrollment(pool: Pool, actor: Actor, key: EnrollmentKey, input: { distributorId: number; accountNumber?: string }) {
  return withTransaction(pool, async (db) => {
    const offer = await getOfferEligibility(db, key.offerId);
    if (!offer) throw missing(`offer ${key.offerId}`);
    const location = await getLocation(db, key);
    if (!location) throw missing(`location '${key.shopId}' of merchant '${key.merchantId}'`);
    const distributor = await getDistributor(db, input.distributorId);
    const problem = enrollmentProblem({ distributor, offer, location: { shopId: key.shopId, region: location.region }, accountNumber: input.accountNumber });
    if (problem) throw new DomainError('unprocessable', 'ENROLLMENT_INVALID', problem);
    const before = await lockEnrollment(db, key);
    const after = { distributorId: input.distributorId, accountNumber: input.accountNumber ?? null };
    await upsertEnrollment(db, key, after);
    await writeAudit(db, {
      actor,
      merchantId: key.merchantId,
      action: 'enrollment.set',
      entity: 'enrollment',
      entityId: `${key.offerId}/${key.shopId}`,
      before: before ?? null,
      after,
    });
    // Claims that waited in Temporary Holding go to the distributor just chosen.
    const held = await findClaimIds(db, { enrollment: key, statuses: ['held'] });
    const released = await transitionClaims(db, held, ['held'], {
      actor: actor.name,
      to: 'new',
      note: 'distributor chosen for the enrollment',
      details: after,
      assign: { distributorId: after.distributorId, accountNumber: after.accountNumber },
    });
    return { ...after, releasedClaims: released };
  });
}

/** A platform admin answers a "not listed" request: the distributor was added, or will not be (audited). */
export async function answerDistributorRequest(
  pool: Pool,
  actor: Actor,
  requestId: number,
  input: { status: 'open' | 'added' | 'declined'; note?: string | undefined },
) {
  return withTransaction(pool, async (db) => {
    const before = await lockDistributorRequestStatus(db, requestId);
    if (!before) throw missing(`distributor request ${requestId}`);
    await setDistributorRequestStatus(db, requestId, { status: input.status, note: input.note ?? null, by: actor.name });
    await writeAudit(db, {
      actor,
      action: 'distributor_request.status',
      entity: 'distributor_request',
      entityId: String(requestId),
      before,
      after: { status: input.status, statusNote: input.note ?? null },
    });
    return (await getDistributorRequest(db, requestId))!;
  });
}
