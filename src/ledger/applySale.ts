import { withTransaction, type Db, type Pool } from '../db/pool.js';
import { recordDecisionInsights } from '../insights/store/upkeep.js';
import type { Merchant } from '../merchants/store/schema.js';
import { currentRulesOf } from '../ruleVersions/store/rulesRepo.js';
import { evaluationContextSchema, type SaleNames } from '../rules/evaluationContext.js';
import type { Decision } from '../rules/decision.js';
import { evaluate } from '../rules/evaluate.js';
import { noteDecision } from '../rules/notes.js';
import type { Rules } from '../rules/rules.js';
import type { Sale } from '../rules/sale.js';
import { loadOriginal, originalSaleOf } from './original.js';
import { readSaleStates, type SaleStateRead } from './store/saleStateRead.js';
import { planEntries } from './planEntries.js';
import {
  markEventsDone,
  resolveRefundWaits,
  writeDecisionNotes,
  writeSaleVersions,
  type DecisionNote,
  type ReopenedReturn,
  type SaleVersionWrite,
} from './store/saleVersionWrite.js';

export interface ApplyInput {
  merchant: Merchant;
  sale: Sale;
  /** The names of what the sale mentions, for the reasons. */
  names: SaleNames;
  eventId: number | null;
  now: Date;
  /** Evaluate again even if this version was applied (the rewards button was pressed). */
  reevaluate?: boolean;
  /** The state read with the event (first attempt only: a retry reads it again). */
  state?: SaleStateRead;
}

export interface ApplyResult {
  decision: Decision | null;
  outcome: 'applied' | 'stale' | 'duplicate';
  /** When a pending entry was written: when it becomes due. */
  pendingUntil: Date | null;
  /**
   * Returns of this sale applied before it earned (or, R-Series, before it was seen), whose inbox rows
   * this write reopened: the caller applies them again now (the sweep does, should that not happen).
   */
  reopened?: ReopenedReturn[];
}

/** The state kept changing under us: BullMQ retries the job later. */
export class SaleContentionError extends Error {
  override name = 'SaleContentionError';
}

const MAX_ATTEMPTS = 8;

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
const saleKey = (merchantId: string, saleId: string) => `${merchantId}\u0000${saleId}`;
const lineKey = (merchantId: string, lineId: string) => `${merchantId}\u0000line\u0000${lineId}`;

/** Applies one sale version (a batch of one). */
export async function applySale(pool: Pool, input: ApplyInput): Promise<ApplyResult> {
  const [result] = await applySales(pool, [input]);
  if (result instanceof Error) throw result;
  return result!;
}

type Plan =
  | { kind: 'note'; note: DecisionNote; result: ApplyResult }
  | { kind: 'done'; eventId: number | null; result: ApplyResult }
  | { kind: 'write'; write: SaleVersionWrite; touches: string[]; result: ApplyResult };

/**
 * Applies many sale versions together: per round, one read of their states (and one of their merchants'
 * rules), the pure evaluation of each, and one statement that writes them all with a guard per sale
 * (optimistic concurrency; see writeSaleVersions). Exactly once per sale: a sale whose state moved
 * since it was read writes nothing and goes into the next round alone with its state read again
 * (racing workers: one writes, the others find it applied); a sale whose write fails is written again
 * alone, so it fails without its neighbours; a sale another version of which is in the round (or a
 * return whose original is) waits for the next round, so versions apply in version order. Entry keys
 * are unique, so a repeat posts nothing. Returns one result, or the error of that sale, per input.
 */
export async function applySales(pool: Pool, inputs: ApplyInput[]): Promise<Array<ApplyResult | Error>> {
  const results: Array<ApplyResult | Error | undefined> = inputs.map(() => undefined);
  const attempts = inputs.map(() => 0);
  let todo: Array<{ i: number; state?: SaleStateRead }> = inputs.map((input, i) => ({ i, state: input.state }));
  while (todo.length) {
    const unread = todo.filter((t) => !t.state);
    const [states, rules] = await Promise.all([
      readSaleStates(
        pool,
        unread.map((t) => ({ merchantId: inputs[t.i]!.merchant.id, saleId: inputs[t.i]!.sale.saleId })),
      ),
      currentRulesOf(
        pool,
        todo.map((t) => inputs[t.i]!.merchant.id),
      ),
    ]);
    unread.forEach((t, k) => (t.state = states[k]));
    // Lower versions first: of two versions of one sale, the older one is applied in this round.
    todo.sort((a, b) => inputs[a.i]!.sale.version - inputs[b.i]!.sale.version);

    const taken = new Set<string>();
    const next: typeof todo = [];
    const notes: Array<{ i: number; plan: Extract<Plan, { kind: 'note' }> }> = [];
    const done: Array<{ i: number; plan: Extract<Plan, { kind: 'done' }> }> = [];
    const writes: Array<{ i: number; plan: Extract<Plan, { kind: 'write' }> }> = [];
    for (const t of todo) {
      const input = inputs[t.i]!;
      if (taken.has(saleKey(input.merchant.id, input.sale.saleId))) {
        next.push({ i: t.i });
        continue;
      }
      try {
        const plan = await planApply(pool, input, t.state!, rules.get(input.merchant.id)!);
        if (plan.kind === 'note') notes.push({ i: t.i, plan });
        else if (plan.kind === 'done') done.push({ i: t.i, plan });
        else if (plan.touches.some((k) => taken.has(k))) next.push({ i: t.i });
        else {
          plan.touches.forEach((k) => taken.add(k));
          writes.push({ i: t.i, plan });
        }
      } catch (error) {
        results[t.i] = asError(error);
      }
    }

    const [noted, marked, written] = await Promise.all([
      isolated(notes, (batch) =>
        writeDecisionNotes(
          pool,
          batch.map((n) => n.plan.note),
        ).then(() => batch.map(() => true as const)),
      ),
      isolated(done, (batch) =>
        markEventsDone(
          pool,
          batch.flatMap((d) => (d.plan.eventId === null ? [] : [d.plan.eventId])),
        ).then(() => batch.map(() => true as const)),
      ),
      isolated(writes, (batch) =>
        // The insights' rollups move in the same transaction as the points (exactly once with them).
        withTransaction(pool, async (db) => {
          const ids = await writeSaleVersions(
            db,
            batch.map((w) => w.plan.write),
          );
          await recordDecisionInsights(
            db,
            batch.flatMap((w, k) =>
              ids[k] == null
                ? []
                : [{ merchantId: w.plan.write.merchantId, decisionId: ids[k].decisionId, decision: w.plan.write.decision, sale: inputs[w.i]!.sale }],
            ),
          );
          return ids;
        }),
      ),
    ]);
    notes.forEach((n, k) => (results[n.i] = noted[k] instanceof Error ? noted[k] : n.plan.result));
    done.forEach((d, k) => (results[d.i] = marked[k] instanceof Error ? marked[k] : d.plan.result));
    writes.forEach((w, k) => {
      const outcome = written[k] ?? null;
      if (outcome instanceof Error) results[w.i] = outcome;
      else if (outcome !== null) results[w.i] = outcome.reopened.length ? { ...w.plan.result, reopened: outcome.reopened } : w.plan.result;
      else if ((attempts[w.i] = attempts[w.i]! + 1) >= MAX_ATTEMPTS)
        results[w.i] = new SaleContentionError(`sale ${inputs[w.i]!.sale.saleId} changed ${MAX_ATTEMPTS} times while being applied`);
      else next.push({ i: w.i });
    });
    await resolveWaits(pool, inputs, results, [...done.map((d) => d.i), ...writes.map((w) => w.i)]);
    todo = next;
  }
  return results as Array<ApplyResult | Error>;
}

/**
 * After the commit, R-Series returns that came before their original: for the sales this round applied
 * (or found applied: a retry runs it again), the waiting returns they resolve are reopened and added
 * to that sale's result.
 */
async function resolveWaits(pool: Pool, inputs: ApplyInput[], results: Array<ApplyResult | Error | undefined>, round: number[]): Promise<void> {
  // Only R-Series returns name lines rather than their original sale (X names it: no wait, no statement).
  const applied = round.filter((i) => inputs[i]!.sale.series === 'r' && results[i] !== undefined && !(results[i] instanceof Error));
  if (!applied.length) return;
  const found = await resolveRefundWaits(
    pool,
    applied.map((i) => {
      const { merchant, sale } = inputs[i]!;
      return {
        merchantId: merchant.id,
        saleId: sale.saleId,
        soldLineIds: sale.lines.filter((l) => l.quantity > 0).map((l) => l.lineId),
        refundedLineIds: sale.lines.flatMap((l) => (l.refundsLineId !== undefined && l.quantity < 0 ? [l.refundsLineId] : [])),
      };
    }),
  ).catch(asError);
  applied.forEach((i, k) => {
    const result = results[i] as ApplyResult;
    if (found instanceof Error) results[i] = found;
    else if (found[k]!.length) results[i] = { ...result, reopened: [...(result.reopened ?? []), ...found[k]!] };
  });
}

/** Writes a batch in one call; should it fail, item by item, so that only the item at fault fails. */
async function isolated<T, R>(items: T[], write: (batch: T[]) => Promise<R[]>): Promise<Array<R | Error>> {
  if (!items.length) return [];
  try {
    return await write(items);
  } catch (error) {
    if (items.length === 1) return [asError(error)];
    const out: Array<R | Error> = [];
    for (const item of items) out.push(await write([item]).then((r) => r[0]!, asError));
    return out;
  }
}

/** What one sale version would write, given its state as read and its merchant's rules. */
async function planApply(db: Db, input: ApplyInput, state: SaleStateRead, rules: Rules): Promise<Plan> {
  const { merchant, sale, eventId, now } = input;
  if (state.appliedVersion !== null && sale.version < state.appliedVersion) {
    const note = noteDecision(sale, rules.version, 'STALE_VERSION', { appliedVersion: state.appliedVersion });
    return {
      kind: 'note',
      note: { merchantId: merchant.id, eventId, decision: note, eventStatus: 'done' },
      result: { decision: note, outcome: 'stale', pendingUntil: null },
    };
  }
  if (state.appliedVersion !== null && sale.version === state.appliedVersion && !input.reevaluate && !state.reapply) {
    return { kind: 'done', eventId, result: { decision: null, outcome: 'duplicate', pendingUntil: null } };
  }

  const originalId = await originalSaleOf(db, merchant.id, sale);
  const isReturn = originalId !== null && originalId !== sale.saleId;
  const original = isReturn ? await loadOriginal(db, merchant.id, originalId, sale.saleId) : null;
  // Who holds what this sale earned so far (after its own returns), and who earns it now.
  const earnedBefore = state.points + state.reversed;
  const heldBefore = earnedBefore - Math.max(0, state.returned.points);
  const earner = sale.customer?.id ?? state.customerId ?? original?.customerId ?? null;
  const ctx = evaluationContextSchema.parse({
    now: now.toISOString(),
    timezone: merchant.timezone,
    merchantCreatedAt: merchant.createdAt.toISOString(),
    rewardsRequested: state.rewardsRequested,
    alreadyCredited: state.points,
    returnedPoints: isReturn ? 0 : Math.max(0, state.returned.points),
    creditedTo: state.customerId !== null && heldBefore !== 0 ? { customerId: state.customerId, points: heldBefore } : null,
    names: input.names,
    ...(original ? { original: original.context } : {}),
  });
  const decision = evaluate(sale, rules, ctx);
  const { entries, pendingUntil, reversed } = planEntries({
    sale,
    decision,
    state,
    now,
    earner,
    original: isReturn ? { ...original!, saleId: originalId } : null,
  });
  const earnedNow = decision.points + reversed;
  // A pure return is filed under its original's customer (the one its reversal came from).
  const stateCustomer = isReturn && earnedNow === 0 ? (original!.customerId ?? earner) : earner;
  const waitingForLines = originalId === null ? sale.lines.flatMap((l) => (l.refundsLineId !== undefined && l.quantity < 0 ? [l.refundsLineId] : [])) : [];
  // Returns applied while this sale earned nothing are applied to it now that it earns.
  const reapplyReturns = earnedNow > 0 ? state.returnsBeforeSeen : [];

  return {
    kind: 'write',
    // Lines too: a return naming lines of a sale applied in the same round waits for the next one, so
    // that it finds that sale rather than waiting for it.
    touches: [
      saleKey(merchant.id, sale.saleId),
      ...(isReturn ? [saleKey(merchant.id, originalId)] : []),
      // The returns it flags: one statement must not also write their state (only one update would stay).
      ...reapplyReturns.map((id) => saleKey(merchant.id, id)),
      ...[...new Set([...waitingForLines, ...sale.lines.filter((l) => l.quantity > 0).map((l) => l.lineId)])].map((id) => lineKey(merchant.id, id)),
    ],
    write: {
      merchantId: merchant.id,
      eventId,
      decision,
      entries,
      customer: sale.customer ?? null,
      expect: { exists: state.exists, appliedVersion: state.appliedVersion, points: state.points, returnsSeq: state.returned.seq, reapply: state.reapply },
      original: isReturn ? { saleId: originalId, returnsSeq: original!.returnsSeq } : null,
      state: { version: sale.version, points: decision.points, reversed, customerId: stateCustomer, originalSaleId: isReturn ? originalId : null },
      soldLineIds: sale.lines.filter((l) => l.quantity > 0).map((l) => l.lineId),
      reapplyReturns,
      waitingForLines,
    },
    result: { decision, outcome: 'applied', pendingUntil },
  };
}
