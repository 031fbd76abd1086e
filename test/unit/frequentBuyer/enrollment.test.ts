import { describe, expect, it } from 'vitest';
import { enrollmentProblem, type EnrollmentDistributor } from '../../../src/frequentBuyer/enrollment.js';

const quebec: EnrollmentDistributor = { id: 1, name: 'Quebec Foods', regions: ['QC'], requiresAccountNumber: true, isHolding: false };
const offer = { name: 'Buy 10 bags, get 1 free', eligibleDistributorIds: [1, 3] };
const location = { shopId: '1', region: 'QC' };

describe('enrollment problems', () => {
  it.each([
    ['a distributor that does not exist', { distributor: null }, 'distributor does not exist'],
    ['Temporary Holding chosen by hand', { distributor: { ...quebec, isHolding: true } }, 'Temporary Holding is set by a distributor, not chosen'],
    [
      'a distributor the offer does not list',
      { distributor: { ...quebec, id: 2, name: 'Unlisted Foods' } },
      "distributor 'Unlisted Foods' is not eligible for offer 'Buy 10 bags, get 1 free'",
    ],
    [
      'a distributor outside the location’s region',
      { location: { shopId: '1', region: 'ON' } },
      "distributor 'Quebec Foods' does not serve region ON (location 1)",
    ],
    ['no account number where one is required', { accountNumber: undefined }, "distributor 'Quebec Foods' requires the retailer's account number"],
    ['an eligible distributor of the region with its account number', {}, null],
    ['no account number where none is required', { distributor: { ...quebec, id: 3, requiresAccountNumber: false }, accountNumber: undefined }, null],
  ] as const)('%s', (_name, over, expected) => {
    expect(enrollmentProblem({ distributor: quebec, offer, location, accountNumber: 'QC-1001', ...over })).toBe(expected);
  });

  it('checks in order: existence, holding, eligibility, region, then account number', () => {
    // Wrong on every count: the first rule answers.
    expect(enrollmentProblem({ distributor: { ...quebec, id: 9, isHolding: true, regions: ['ON'] }, offer, location, accountNumber: undefined })).toBe(
      'Temporary Holding is set by a distributor, not chosen',
    );
    expect(enrollmentProblem({ distributor: { ...quebec, id: 9, regions: ['ON'] }, offer, location, accountNumber: undefined })).toContain('is not eligible');
  });
});
