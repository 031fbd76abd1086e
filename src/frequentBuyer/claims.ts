import { claimStatuses, denialReasons, type ClaimStatus, type DenialReason } from '../contract/frequentBuyer.js';
import { invalid } from '../domainError.js';

// The statuses and denial reasons are part of the contract the console reads (src/contract/frequentBuyer.ts).
export { claimStatuses, denialReasons, type ClaimStatus, type DenialReason };

/** `?status=new,denied` → the statuses, null when absent; an invalid-input error naming an unknown one. */
export function claimStatusFilter(value: unknown): ClaimStatus[] | null {
  if (typeof value !== 'string' || !value) return null;
  const wanted = value.split(',');
  const unknown = wanted.find((s) => !(claimStatuses as readonly string[]).includes(s));
  if (unknown !== undefined) throw invalid(`status '${unknown}' is not one of ${claimStatuses.join(', ')}`);
  return wanted as ClaimStatus[];
}

/** Claims a distributor can act on: it has not paid or refused them yet. */
export const OPEN_FOR_DISTRIBUTOR: ClaimStatus[] = ['new', 'resubmitted'];
