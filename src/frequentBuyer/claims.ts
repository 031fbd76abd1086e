import { invalid } from '../domainError.js';

export const claimStatuses = ['held', 'new', 'batched', 'credited', 'denied', 'resubmitted', 'cancelled'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

export const denialReasons = [
  'incorrect_account_number',
  'missing_account_number',
  'not_a_customer',
  'item_not_in_program',
  'insufficient_purchases',
  'other',
] as const;
export type DenialReason = (typeof denialReasons)[number];

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
