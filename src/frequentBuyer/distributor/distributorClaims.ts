import type { Actor } from '../../access/authenticate.js';
import { writeAudit } from '../../access/audit.js';
import { withTransaction, type Db, type Pool } from '../../db/pool.js';
import { DomainError, missing } from '../../domainError.js';
import { OPEN_FOR_DISTRIBUTOR, type DenialReason } from '../claims.js';
import { getDistributorBatch, insertBatch, markBatchCredited, type BatchRow } from '../store/batches.js';
import { claimIdsByMerchant, findClaimIds, getDistributorClaimStatus, transitionClaims } from '../store/claims.js';
import { getHoldingDistributorId } from '../store/distributors.js';
import { lockDistributorEnrollment, moveEnrollmentToHolding, type EnrollmentKey } from '../store/enrollments.js';

// The distributor's side: what a distributor token does to the claims addressed to it. `distributorId`
// is always the token's, never one named in a request.

/**
 * A distributor person's change to claims, in audit_log as well as each claim's history: one row per
 * merchant whose claims it touched (a batch spans merchants), so each merchant's trail shows it. A change
 * that touched no claim (a batch credited whose claims were all denied) still gets one platform-wide row.
 */
async function auditClaimChange(
  db: Db,
  actor: Actor,
  change: { action: string; entity: 'claim' | 'batch'; entityId: number; claimIds: number[]; after: Record<string, unknown> },
): Promise<void> {
  const byMerchant = await claimIdsByMerchant(db, change.claimIds);
  const rows: Array<[string | null, number[]]> = byMerchant.size ? [...byMerchant] : [[null, []]];
  for (const [merchantId, claimIds] of rows) {
    await writeAudit(db, {
      actor,
      merchantId,
      action: change.action,
      entity: change.entity,
      entityId: String(change.entityId),
      after: { ...change.after, claimIds },
    });
  }
}

/** A batch of this distributor's, or not found (another distributor's answers as if it did not exist). */
export async function ownBatch(db: Db, distributorId: number, batchId: number): Promise<BatchRow> {
  const batch = await getDistributorBatch(db, distributorId, batchId);
  if (!batch) throw missing(`batch ${batchId}`);
  return batch;
}

export async function denyClaim(
  pool: Pool,
  actor: Actor,
  distributorId: number,
  claimId: number,
  input: { reason: DenialReason; note?: string },
): Promise<number[]> {
  return withTransaction(pool, async (db) => {
    const status = await getDistributorClaimStatus(db, distributorId, claimId);
    if (!status) throw missing(`claim ${claimId}`);
    const ids = await transitionClaims(db, [claimId], ['new', 'resubmitted', 'batched'], {
      actor: actor.name,
      to: 'denied',
      note: input.note ?? null,
      details: { reason: input.reason },
      assign: { denialReason: input.reason, denialNote: input.note ?? null },
    });
    if (!ids.length)
      throw new DomainError('conflict', 'CLAIM_NOT_OPEN', `claim ${claimId} is ${status}; only a new, resubmitted or batched claim can be denied`);
    await auditClaimChange(db, actor, {
      action: 'claim.deny',
      entity: 'claim',
      entityId: claimId,
      claimIds: ids,
      after: { distributorId, from: status, status: 'denied', reason: input.reason, note: input.note ?? null },
    });
    return ids;
  });
}

/** A batch of the given claims, or of every new and resubmitted one. */
export async function batchClaims(
  pool: Pool,
  actor: Actor,
  distributorId: number,
  claimIds: number[] | undefined,
): Promise<{ id: number; claimIds: number[] }> {
  return withTransaction(pool, async (db) => {
    const candidates = await findClaimIds(db, { distributorId, statuses: OPEN_FOR_DISTRIBUTOR, ids: claimIds });
    if (claimIds && candidates.length !== new Set(claimIds).size) {
      const found = new Set(candidates);
      throw new DomainError(
        'unprocessable',
        'CLAIMS_NOT_BATCHABLE',
        `claims ${claimIds.filter((id) => !found.has(id)).join(', ')} are not new or resubmitted claims of this distributor`,
      );
    }
    if (!candidates.length) throw new DomainError('unprocessable', 'NOTHING_TO_BATCH', 'there are no new or resubmitted claims to batch');
    const id = await insertBatch(db, distributorId, actor.name);
    const moved = await transitionClaims(db, candidates, OPEN_FOR_DISTRIBUTOR, {
      actor: actor.name,
      to: 'batched',
      details: { batchId: id },
      assign: { batchId: id },
    });
    await auditClaimChange(db, actor, { action: 'batch.create', entity: 'batch', entityId: id, claimIds: moved, after: { distributorId, status: 'batched' } });
    return { id, claimIds: moved };
  });
}

export async function creditBatch(pool: Pool, actor: Actor, distributorId: number, batchId: number, creditReference: string) {
  return withTransaction(pool, async (db) => {
    const batch = await ownBatch(db, distributorId, batchId);
    if (!(await markBatchCredited(db, batch.id, creditReference)))
      throw new DomainError('conflict', 'BATCH_ALREADY_CREDITED', `batch ${batch.id} was credited already (${batch.creditReference})`);
    const ids = await findClaimIds(db, { batchId: batch.id, statuses: ['batched'] });
    const credited = await transitionClaims(db, ids, ['batched'], { actor: actor.name, to: 'credited', details: { batchId: batch.id, creditReference } });
    await auditClaimChange(db, actor, {
      action: 'batch.credit',
      entity: 'batch',
      entityId: batch.id,
      claimIds: credited,
      after: { distributorId, status: 'credited', creditReference },
    });
    return { id: batch.id, creditReference, credited };
  });
}

/** "We do not serve this location": the enrollment moves to Temporary Holding and its unbatched claims wait there. */
export async function holdEnrollment(pool: Pool, actor: Actor, distributorId: number, key: EnrollmentKey, reason: string) {
  return withTransaction(pool, async (db) => {
    const before = await lockDistributorEnrollment(db, key, distributorId);
    if (!before) throw missing(`enrollment ${key.merchantId}/${key.offerId}/${key.shopId} of this distributor`);
    const holdingId = await getHoldingDistributorId(db);
    await moveEnrollmentToHolding(db, key, holdingId, reason);
    const after = { distributorId: holdingId, accountNumber: null, holdingReason: reason };
    await writeAudit(db, {
      actor,
      merchantId: key.merchantId,
      action: 'enrollment.holding',
      entity: 'enrollment',
      entityId: `${key.offerId}/${key.shopId}`,
      before,
      after,
    });
    const open = await findClaimIds(db, { enrollment: key, distributorId, statuses: OPEN_FOR_DISTRIBUTOR });
    const held = await transitionClaims(db, open, OPEN_FOR_DISTRIBUTOR, {
      actor: actor.name,
      to: 'held',
      note: reason,
      details: { from: before, to: 'Temporary Holding' },
      assign: { distributorId: holdingId, accountNumber: null },
    });
    return { ...key, ...after, heldClaims: held };
  });
}
