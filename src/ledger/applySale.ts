import type { Db, Pool } from '../db/pool.js';
import type { ReferenceData } from '../lightspeed/refs/types.js';
import type { Merchant } from '../merchants/schema.js';
import { evaluationContextSchema } from '../rules/evaluationContext.js';
import type { Decision } from '../rules/decision.js';
import { evaluate } from '../rules/evaluate.js';
import { noteDecision } from '../rules/notes.js';
import { defaultRules, rulesSchema, type Rules } from '../rules/rules.js';
import type { Sale } from '../rules/sale.js';
import { loadOriginal, originalSaleOf } from './original.js';
import { readSaleState, writeSaleVersion, type PlannedEntry, type SaleStateRead } from './saleVersionSql.js';

export interface ApplyInput {
  merchant: Merchant;
  sale: Sale;
  eventId: number | null;
  refs: ReferenceData;
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
}

async function noteOnly(db: Db, merchantId: string, eventId: number | null, decision: Decision): Promise<void> {
  await db.query(
    `WITH d AS (
       INSERT INTO decisions (merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8, $9)
     )
     UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL WHERE id = $4`,
    [merchantId, decision.saleId, decision.saleVersion, eventId, decision.rulesVersion, decision.status, decision.points, decision.customerId, JSON.stringify(decision)],
  );
}

/** The state kept changing under us: BullMQ retries the job later. */
export class SaleContentionError extends Error {
  override name = 'SaleContentionError';
}

const MAX_ATTEMPTS = 8;

/**
 * Applies one sale version: the decision, the ledger entries for the difference from what the sale
 * already holds, the balances, and the inbox row, written by one statement that succeeds only if the
 * sale's state is still what was read (optimistic concurrency; see writeSaleVersion). Workers racing on
 * the same sale: one writes, the others read again and find it applied. Entry keys are unique, so a
 * repeat posts nothing. Two round trips per sale (read, write) on purpose: on this hardware each round
 * trip costs more than the work inside it.
 */
export async function applySale(pool: Pool, input: ApplyInput): Promise<ApplyResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const result = await attemptApply(pool, input, attempt === 0 ? input.state : undefined);
    if (result) return result;
  }
  throw new SaleContentionError(`sale ${input.sale.saleId} changed ${MAX_ATTEMPTS} times while being applied`);
}

async function attemptApply(db: Db, input: ApplyInput, known?: SaleStateRead): Promise<ApplyResult | null> {
  const { merchant, sale, eventId, refs, now } = input;
  const state = known ?? (await readSaleState(db, merchant.id, sale.saleId));
  const rules: Rules = state.rules ? { ...rulesSchema.parse(state.rules.document), version: state.rules.version } : defaultRules(0);

  if (state.appliedVersion !== null && sale.version < state.appliedVersion) {
    const note = noteDecision(sale, rules.version, 'STALE_VERSION', { appliedVersion: state.appliedVersion });
    await noteOnly(db, merchant.id, eventId, note);
    return { decision: note, outcome: 'stale', pendingUntil: null };
  }
  if (state.appliedVersion !== null && sale.version === state.appliedVersion && !input.reevaluate) {
    if (eventId !== null) await db.query(`UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL WHERE id = $1`, [eventId]);
    return { decision: null, outcome: 'duplicate', pendingUntil: null };
  }

  const originalId = await originalSaleOf(db, merchant.id, sale);
  const isReturn = originalId !== null && originalId !== sale.saleId;
  const original = isReturn ? await loadOriginal(db, merchant.id, originalId, sale.saleId) : null;
  const ctx = evaluationContextSchema.parse({
    now: now.toISOString(),
    timezone: merchant.timezone,
    merchantCreatedAt: merchant.createdAt.toISOString(),
    rewardsRequested: state.rewardsRequested,
    alreadyCredited: state.points,
    returnedPoints: isReturn ? 0 : Math.max(0, state.returned.points),
    returnedBeforeSeen: isReturn ? [] : state.returnsBeforeSeen,
    names: {
      segments: Object.fromEntries(refs.segments),
      categories: Object.fromEntries([...refs.categories].map(([id, c]) => [id, c.name])),
      products: Object.fromEntries([...refs.products].filter(([, p]) => p.name).map(([id, p]) => [id, p.name!])),
    },
    ...(original ? { original: original.context } : {}),
  });
  const decision = evaluate(sale, rules, ctx);

  // Points a return gives back belong to the original sale's customer.
  const customerId = (isReturn ? original!.customerId : null) ?? state.customerId ?? sale.customer?.id ?? null;
  const delta = decision.points - state.points;
  const key = `sale:${sale.saleId}:v${sale.version}:${state.points}>${decision.points}`;
  const entries: PlannedEntry[] = [];
  let pendingUntil: Date | null = null;
  if (delta > 0 && customerId !== null) {
    const pending = decision.status === 'pending';
    const availableAt = decision.availableAt ?? now.toISOString();
    entries.push({ customerId, saleId: sale.saleId, kind: 'earn', points: delta, status: pending ? 'pending' : 'posted', availableAt, key });
    if (pending) pendingUntil = new Date(availableAt);
  } else if (delta < 0 && customerId !== null) {
    // A reversal first reduces what is still pending (of the original, for a return), so the balance
    // does not go negative for points the customer never had; the rest is posted.
    const offsetSale = isReturn ? originalId : sale.saleId;
    const pending = isReturn ? original!.pending : state.pending;
    const fromPending = Math.min(-delta, Math.max(0, pending.points));
    if (fromPending > 0) {
      entries.push({ customerId, saleId: offsetSale, kind: 'reverse', points: -fromPending, status: 'pending', availableAt: pending.latest!.toISOString(), key: `${key}:pending`, note: `${decision.reasons[0]?.code ?? 'REVERSED'} by sale ${sale.saleId}` });
      pendingUntil = pending.latest;
    }
    const rest = -delta - fromPending;
    if (rest > 0) entries.push({ customerId, saleId: sale.saleId, kind: 'reverse', points: -rest, status: 'posted', availableAt: now.toISOString(), key: `${key}:posted` });
  }

  const written = await writeSaleVersion(db, {
    merchantId: merchant.id,
    eventId,
    decision,
    entries,
    customer: sale.customer ?? null,
    expect: { appliedVersion: state.appliedVersion, points: state.points, returnsSeq: state.returned.seq },
    original: isReturn ? { saleId: originalId, returnsSeq: original!.returnsSeq } : null,
    state: { version: sale.version, points: decision.points, customerId, originalSaleId: isReturn ? originalId : null },
    soldLineIds: sale.lines.filter((l) => l.quantity > 0).map((l) => l.lineId),
  });
  return written === null ? null : { decision, outcome: 'applied', pendingUntil };
}
