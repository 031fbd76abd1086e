import type { Decision } from '../rules/decision.js';
import type { Sale } from '../rules/sale.js';
import type { SaleStateRead } from './store/saleStateRead.js';
import type { PlannedEntry } from './store/saleVersionWrite.js';

interface Pending {
  points: number;
  latest: Date | null;
}

export interface EntriesInput {
  sale: Sale;
  decision: Decision;
  /** The sale's state as read: what it earned and reversed so far, who holds it, its pending points. */
  state: SaleStateRead;
  now: Date;
  /** Who earns what the sale's lines earn now (the sale's customer, else whoever held it). */
  earner: string | null;
  /** For a return or an exchange: the original sale, its customer and its pending points. */
  original: { saleId: string; customerId: string | null; pending: Pending } | null;
}

export interface PlannedEntries {
  entries: PlannedEntry[];
  /**
   * When a pending entry written becomes due, to schedule its release: the new credit's date, else the
   * latest pending reversal's (which share their dates with entries already scheduled); or null.
   */
  pendingUntil: Date | null;
  /** What the sale's refund lines take back from the original (positive), kept apart in its state. */
  reversed: number;
}

/** Points a decision's refund lines take back from the original (refund lines carry negative points). */
export const refundedPoints = (decision: Decision): number => decision.lines.reduce((sum, l) => sum + (l.exemptBy === 'refund' ? -l.points : 0), 0);

/**
 * The ledger entries of one sale version, from the difference between its decision and what the ledger
 * already holds for it, in two independent parts (an exchange has both):
 *
 * - what its lines earn goes to the customer it names, pending until the decision's date when the rules
 *   delay it, posted otherwise; less earned is taken back from this sale's own pending points first.
 *   When the sale now names another customer, what the previous one holds for it is reversed (pending
 *   out of pending) and the new one credited: the points move once, each entry saying between whom;
 * - what its refund lines take back comes out of the original sale's entries as they are: its pending
 *   points first (a pending reversal, released with them), the rest from the available balance.
 *
 * Each entry's key derives from the sale, its version and the state it moves from, so a repeat posts nothing.
 */
export function planEntries(input: EntriesInput): PlannedEntries {
  const { sale, decision, state, now, earner, original } = input;
  const key = `sale:${sale.saleId}:v${sale.version}:${state.points}>${decision.points}`;
  const entries: PlannedEntry[] = [];
  let creditUntil: Date | null = null;
  let reversalUntil: Date | null = null;
  const pendingAt = (at: Date) => {
    if (!reversalUntil || at > reversalUntil) reversalUntil = at;
  };

  /** Takes `points` back from `customerId`: from `pending` first (filed under `pendingSaleId`), the rest posted. */
  const takeBack = (customerId: string, points: number, pending: Pending, pendingSaleId: string, part: string, note?: string) => {
    const fromPending = pending.latest ? Math.min(points, Math.max(0, pending.points)) : 0;
    if (fromPending > 0) {
      entries.push({
        customerId,
        saleId: pendingSaleId,
        kind: 'reverse',
        points: -fromPending,
        status: 'pending',
        availableAt: pending.latest!.toISOString(),
        key: `${key}${part}:pending`,
        ...(note ? { note } : {}),
      });
      pendingAt(pending.latest!);
    }
    const rest = points - fromPending;
    if (rest > 0)
      entries.push({
        customerId,
        saleId: sale.saleId,
        kind: 'reverse',
        points: -rest,
        status: 'posted',
        availableAt: now.toISOString(),
        key: `${key}${part}:posted`,
        ...(note ? { note } : {}),
      });
  };

  /** Credits `points` to `customerId`, pending when `until` is still ahead, posted otherwise. */
  const credit = (customerId: string, points: number, until: Date | null, part: string, note?: string) => {
    const pending = until !== null && until > now;
    entries.push({
      customerId,
      saleId: sale.saleId,
      kind: 'earn',
      points,
      status: pending ? 'pending' : 'posted',
      availableAt: (pending ? until : now).toISOString(),
      key: `${key}${part}`,
      ...(note ? { note } : {}),
    });
    if (pending) creditUntil = until;
  };

  // What the lines earn, on the decision's schedule.
  const reversed = original ? refundedPoints(decision) : 0;
  const earnedNow = decision.points + reversed;
  const earnedBefore = state.points + state.reversed;
  const earnUntil =
    decision.availableAt && earnedNow > 0 && (decision.status === 'pending' || decision.status === 'reversed') ? new Date(decision.availableAt) : null;
  const holder = state.customerId;
  if (holder !== null && earner !== null && holder !== earner && earnedBefore !== 0) {
    // The sale names another customer: what the previous one still holds for it moves to the new one.
    const returned = Math.max(0, state.returned.points);
    const held = earnedBefore - returned;
    const moveKey = `:move:${holder}>${earner}`;
    if (held > 0)
      takeBack(
        holder,
        held,
        state.pending,
        sale.saleId,
        `${moveKey}:out`,
        `sale ${sale.saleId} v${sale.version} names customer ${earner}: moved to customer ${earner}`,
      );
    const due = earnedNow - returned;
    if (due > 0)
      credit(earner, due, earnUntil, `${moveKey}:in`, `sale ${sale.saleId} v${sale.version} names customer ${earner}: moved from customer ${holder}`);
  } else {
    const who = earner ?? holder;
    const delta = earnedNow - earnedBefore;
    if (who !== null && delta > 0) credit(who, delta, earnUntil, ':earn');
    if (who !== null && delta < 0)
      takeBack(who, -delta, state.pending, sale.saleId, ':earn', `${decision.reasons[0]?.code ?? 'REVERSED'} by sale ${sale.saleId}`);
  }

  // What the refund lines take back, out of the original as it is.
  if (original) {
    const from = original.customerId ?? earner;
    const delta = reversed - state.reversed;
    const note = `${decision.reasons.find((r) => r.code === 'RETURN_REVERSED' || r.code === 'VOID_REVERSED')?.code ?? 'REVERSED'} by sale ${sale.saleId}`;
    if (from !== null && delta > 0) takeBack(from, delta, original.pending, original.saleId, ':return', note);
    // Less taken back than before (the return was voided): given back as the original's points are now.
    if (from !== null && delta < 0) {
      const until = original.pending.latest && original.pending.latest > now ? original.pending.latest : null;
      entries.push({
        customerId: from,
        saleId: until ? original.saleId : sale.saleId,
        kind: 'earn',
        points: -delta,
        status: until ? 'pending' : 'posted',
        availableAt: (until ?? now).toISOString(),
        key: `${key}:return:back`,
        note: `given back by sale ${sale.saleId}`,
      });
      if (until) pendingAt(until);
    }
  }
  return { entries, pendingUntil: creditUntil ?? reversalUntil, reversed };
}
