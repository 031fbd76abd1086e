import { DomainError } from '../domainError.js';
import type { DenialReason } from './claims.js';
import { enrollmentProblem, type EnrollmentDistributor } from './enrollment.js';

/** A denied claim as the correction starts from. */
export interface DeniedClaim {
  id: number;
  shopId: string;
  distributorId: number;
  accountNumber: string | null;
  denialReason: DenialReason | null;
}

export interface Correction {
  distributorId?: number;
  accountNumber?: string;
}

/**
 * Where a resubmitted claim goes: what the request names, else the enrollment as it is now (fix the
 * enrollment, then resubmit), else where it went before. A new distributor named without an account number
 * gets none (the enrollment's belongs to the enrollment's distributor).
 */
export function resubmitTarget(
  claim: DeniedClaim,
  correction: Correction,
  enrollment: { distributorId: number; accountNumber: string | null } | null,
): { distributorId: number; accountNumber: string | undefined } {
  const distributorId = correction.distributorId ?? enrollment?.distributorId ?? claim.distributorId;
  const accountNumber = correction.accountNumber ?? (correction.distributorId === undefined ? enrollment?.accountNumber : undefined) ?? undefined;
  return { distributorId, accountNumber };
}

/**
 * Why a denied claim may not be resubmitted to `target`, or null when it may: the target passes the
 * enrollment checks (and is not Temporary Holding), and a claim denied for its account number gets a
 * different distributor or account number. Pure: the caller reads the distributor, offer and location.
 */
export function resubmitProblem(input: {
  claim: DeniedClaim;
  target: { distributorId: number; accountNumber: string | undefined };
  distributor: EnrollmentDistributor | null;
  offer: { name: string; eligibleDistributorIds: number[] };
  location: { region: string } | null;
}): DomainError | null {
  const { claim, target, distributor } = input;
  const problem = distributor?.isHolding
    ? `the enrollment of location ${claim.shopId} is in Temporary Holding: choose a distributor`
    : enrollmentProblem({
        distributor,
        offer: input.offer,
        location: { shopId: claim.shopId, region: input.location?.region ?? '' },
        accountNumber: target.accountNumber,
      });
  if (problem) return new DomainError('unprocessable', 'CLAIM_NOT_CORRECTED', problem);
  const accountDenied = claim.denialReason === 'incorrect_account_number' || claim.denialReason === 'missing_account_number';
  if (accountDenied && target.distributorId === claim.distributorId && (target.accountNumber ?? null) === claim.accountNumber) {
    return new DomainError(
      'unprocessable',
      'CLAIM_NOT_CORRECTED',
      `claim ${claim.id} was denied for its account number (${claim.denialReason}); give a corrected one, or correct the enrollment first`,
    );
  }
  return null;
}
