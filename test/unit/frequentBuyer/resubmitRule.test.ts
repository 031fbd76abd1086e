import { describe, expect, it } from 'vitest';
import type { EnrollmentDistributor } from '../../../src/frequentBuyer/enrollment.js';
import { resubmitProblem, resubmitTarget, type DeniedClaim } from '../../../src/frequentBuyer/resubmitRule.js';

const claim: DeniedClaim = { id: 42, shopId: '1', distributorId: 1, accountNumber: 'QC-1001', denialReason: 'incorrect_account_number' };
const enrollment = { distributorId: 1, accountNumber: 'QC-2002' };

describe('where a resubmitted claim goes', () => {
  it.each([
    ['nothing given: the enrollment as it is now', {}, enrollment, { distributorId: 1, accountNumber: 'QC-2002' }],
    [
      'an account number given: that one, to the enrollment’s distributor',
      { accountNumber: 'QC-3003' },
      enrollment,
      { distributorId: 1, accountNumber: 'QC-3003' },
    ],
    [
      'a distributor given alone: no account number (the enrollment’s is another distributor’s)',
      { distributorId: 3 },
      enrollment,
      { distributorId: 3, accountNumber: undefined },
    ],
    ['a distributor and an account number given: both', { distributorId: 3, accountNumber: 'LA-1' }, enrollment, { distributorId: 3, accountNumber: 'LA-1' }],
    ['no enrollment and nothing given: where it went before, without an account number', {}, null, { distributorId: 1, accountNumber: undefined }],
    ['an enrollment without an account number: none', {}, { distributorId: 1, accountNumber: null }, { distributorId: 1, accountNumber: undefined }],
  ] as const)('%s', (_name, correction, current, expected) => {
    expect(resubmitTarget(claim, correction, current)).toEqual(expected);
  });
});

const quebec: EnrollmentDistributor = { id: 1, name: 'Quebec Foods', regions: ['QC'], requiresAccountNumber: true, isHolding: false };
const holding: EnrollmentDistributor = { id: 5, name: 'Temporary Holding', regions: ['QC'], requiresAccountNumber: false, isHolding: true };
const offer = { name: 'Buy 10 bags, get 1 free', eligibleDistributorIds: [1, 3] };
const region = { region: 'QC' };

describe('whether a denied claim may be resubmitted', () => {
  it.each([
    ['a corrected account number', claim, { distributorId: 1, accountNumber: 'QC-2002' }, quebec, null],
    [
      'the same account number after an account-number denial',
      claim,
      { distributorId: 1, accountNumber: 'QC-1001' },
      quebec,
      'was denied for its account number (incorrect_account_number)',
    ],
    [
      'the same (missing) account number after a missing-account denial',
      { ...claim, accountNumber: null, denialReason: 'missing_account_number' as const },
      { distributorId: 3, accountNumber: undefined },
      { ...quebec, id: 3, requiresAccountNumber: false },
      null,
    ],
    [
      'no account number again after a missing-account denial, same distributor',
      { ...claim, distributorId: 3, accountNumber: null, denialReason: 'missing_account_number' as const },
      { distributorId: 3, accountNumber: undefined },
      { ...quebec, id: 3, requiresAccountNumber: false },
      'was denied for its account number (missing_account_number)',
    ],
    [
      'the same account number after another denial',
      { ...claim, denialReason: 'not_a_customer' as const },
      { distributorId: 1, accountNumber: 'QC-1001' },
      quebec,
      null,
    ],
    [
      'an enrollment in Temporary Holding',
      claim,
      { distributorId: 5, accountNumber: undefined },
      holding,
      'the enrollment of location 1 is in Temporary Holding: choose a distributor',
    ],
    [
      'a distributor that fails the enrollment checks',
      claim,
      { distributorId: 2, accountNumber: 'X' },
      { ...quebec, id: 2, name: 'Unlisted Foods' },
      "distributor 'Unlisted Foods' is not eligible",
    ],
    ['a distributor that does not exist', claim, { distributorId: 9, accountNumber: 'X' }, null, 'distributor does not exist'],
  ] as const)('%s', (_name, denied, target, distributor, expected) => {
    const problem = resubmitProblem({ claim: denied, target, distributor, offer, location: region });
    if (expected === null) expect(problem).toBeNull();
    else {
      expect(problem?.code).toBe('CLAIM_NOT_CORRECTED');
      expect(problem?.kind).toBe('unprocessable');
      expect(problem?.message).toContain(expected);
    }
  });

  it('a location that is gone has no region any distributor serves', () => {
    expect(resubmitProblem({ claim, target: { distributorId: 1, accountNumber: 'QC-2002' }, distributor: quebec, offer, location: null })?.message).toContain(
      'does not serve region',
    );
  });
});
