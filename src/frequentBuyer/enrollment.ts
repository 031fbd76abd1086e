export interface EnrollmentDistributor {
  id: number;
  name: string;
  regions: string[];
  requiresAccountNumber: boolean;
  isHolding: boolean;
}

/** Why a distributor cannot serve an enrollment, or null when it can. Pure, so every rule is testable. */
export function enrollmentProblem(input: {
  distributor: EnrollmentDistributor | null;
  offer: { name: string; eligibleDistributorIds: number[] };
  location: { shopId: string; region: string };
  accountNumber: string | undefined;
}): string | null {
  const { distributor, offer, location } = input;
  if (!distributor) return 'distributor does not exist';
  if (distributor.isHolding) return 'Temporary Holding is set by a distributor, not chosen';
  if (!offer.eligibleDistributorIds.includes(distributor.id)) return `distributor '${distributor.name}' is not eligible for offer '${offer.name}'`;
  if (!distributor.regions.includes(location.region))
    return `distributor '${distributor.name}' does not serve region ${location.region} (location ${location.shopId})`;
  if (distributor.requiresAccountNumber && !input.accountNumber) return `distributor '${distributor.name}' requires the retailer's account number`;
  return null;
}
