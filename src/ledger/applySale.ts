import type { Pool, PoolClient } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';
import type { ReferenceData } from '../lightspeed/refs/types.js';
import type { Merchant } from '../merchants/schema.js';
import { currentRules } from '../merchants/rulesRepo.js';
import { evaluationContextSchema } from '../rules/context.js';
import type { Decision } from '../rules/decision.js';
import { evaluate } from '../rules/evaluate.js';
import { noteDecision } from '../rules/notes.js';
import type { Sale } from '../rules/sale.js';
import { upsertCustomer } from './balances.js';
import { pendingOfSale, writeEntry } from './entries.js';
import { loadOriginal, originalSaleOf, returnsBeforeSeen } from './original.js';

export interface ApplyInput {
  merchant: Merchant;
  sale: Sale;
  eventId: number | null;
  refs: ReferenceData;
  now: Date;
  /** Evaluate again even if this version was applied (the rewards button was pressed). */
  reevaluate?: boolean;
}

export interface ApplyResult {
  decision: Decision | null;
  outcome: 'applied' | 'stale' | 'duplicate';
  /** When a pending entry was written: when it becomes due. */
  pendingUntil: Date | null;
}

interface SaleStateRow {
  applied_version: number | null;
  points: number;
  customer_id: string | null;
}

async function insertDecision(db: PoolClient, merchantId: string, eventId: number | null, decision: Decision, applied: boolean): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO decisions (merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [merchantId, decision.saleId, decision.saleVersion, eventId, decision.rulesVersion, decision.status, decision.points, applied, decision.customerId, JSON.stringify(decision)],
  );
  return rows[0]!.id;
}

async function markEventDone(db: PoolClient, eventId: number | null): Promise<void> {
  if (eventId !== null) await db.query(`UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL WHERE id = $1`, [eventId]);
}

/**
 * Applies one sale version in one transaction: the decision, the ledger entries for the difference from
 * what the sale already holds, the balances, and the inbox row. The sale's state row is locked first,
 * so workers racing on the same sale take turns; entry keys are unique, so a repeat posts nothing.
 */
export async function applySale(pool: Pool, input: ApplyInput): Promise<ApplyResult> {
  const { merchant, sale, eventId, refs, now } = input;
  return withTransaction(pool, async (db) => {
    await db.query(`INSERT INTO sale_state (merchant_id, sale_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [merchant.id, sale.saleId]);
    const state = (
      await db.query<SaleStateRow>(`SELECT applied_version, points, customer_id FROM sale_state WHERE merchant_id = $1 AND sale_id = $2 FOR UPDATE`, [merchant.id, sale.saleId])
    ).rows[0]!;
    const rules = await currentRules(db, merchant.id);

    if (state.applied_version !== null && sale.version < state.applied_version) {
      const note = noteDecision(sale, rules.version, 'STALE_VERSION', { appliedVersion: state.applied_version });
      await insertDecision(db, merchant.id, eventId, note, false);
      await markEventDone(db, eventId);
      return { decision: note, outcome: 'stale', pendingUntil: null };
    }
    if (state.applied_version !== null && sale.version === state.applied_version && !input.reevaluate) {
      await markEventDone(db, eventId);
      return { decision: null, outcome: 'duplicate', pendingUntil: null };
    }

    const originalId = await originalSaleOf(db, merchant.id, sale);
    const isReturn = originalId !== null && originalId !== sale.saleId;
    const rewardsRequested = (await db.query(`SELECT 1 FROM rewards_requests WHERE merchant_id = $1 AND sale_id = $2`, [merchant.id, sale.saleId])).rowCount! > 0;
    const ctx = evaluationContextSchema.parse({
      now: now.toISOString(),
      timezone: merchant.timezone,
      merchantCreatedAt: merchant.createdAt.toISOString(),
      rewardsRequested,
      alreadyCredited: state.points,
      returnedBeforeSeen: isReturn ? [] : await returnsBeforeSeen(db, merchant.id, sale.saleId),
      names: {
        segments: Object.fromEntries(refs.segments),
        categories: Object.fromEntries([...refs.categories].map(([id, c]) => [id, c.name])),
        products: Object.fromEntries([...refs.products].filter(([, p]) => p.name).map(([id, p]) => [id, p.name!])),
      },
      ...(isReturn ? { original: await loadOriginal(db, merchant.id, originalId, sale.saleId) } : {}),
    });
    const decision = evaluate(sale, rules, ctx);
    const decisionId = await insertDecision(db, merchant.id, eventId, decision, true);

    // Points a return gives back belong to the original sale's customer.
    let customerId = state.customer_id ?? sale.customer?.id ?? null;
    if (isReturn) {
      const orig = await db.query<{ customer_id: string | null }>(`SELECT customer_id FROM sale_state WHERE merchant_id = $1 AND sale_id = $2`, [merchant.id, originalId]);
      customerId = orig.rows[0]?.customer_id ?? customerId;
    }
    if (sale.customer) await upsertCustomer(db, merchant.id, sale.customer);

    const delta = decision.points - state.points;
    const key = `sale:${sale.saleId}:v${sale.version}:${state.points}>${decision.points}`;
    let pendingUntil: Date | null = null;
    if (delta !== 0 && customerId !== null) {
      const base = { merchantId: merchant.id, customerId, decisionId, kind: delta > 0 ? ('earn' as const) : ('reverse' as const) };
      if (delta > 0) {
        const pending = decision.status === 'pending';
        const availableAt = decision.availableAt ?? now.toISOString();
        await writeEntry(db, { ...base, saleId: sale.saleId, points: delta, status: pending ? 'pending' : 'posted', availableAt, idempotencyKey: key });
        if (pending) pendingUntil = new Date(availableAt);
      } else {
        // A reversal first reduces what is still pending (of the original, for a return), so the
        // balance does not go negative for points the customer never had; the rest is posted.
        const offsetSale = isReturn ? originalId : sale.saleId;
        const pending = await pendingOfSale(db, merchant.id, offsetSale);
        const fromPending = Math.min(-delta, Math.max(0, pending.points));
        if (fromPending > 0) {
          await writeEntry(db, { ...base, saleId: offsetSale, points: -fromPending, status: 'pending', availableAt: pending.latest!, idempotencyKey: `${key}:pending`, note: `${decision.reasons[0]?.code ?? 'REVERSED'} by sale ${sale.saleId}` });
          pendingUntil = pending.latest;
        }
        const rest = -delta - fromPending;
        if (rest > 0) await writeEntry(db, { ...base, saleId: sale.saleId, points: -rest, status: 'posted', availableAt: now.toISOString(), idempotencyKey: `${key}:posted` });
      }
    }

    await db.query(
      `UPDATE sale_state SET applied_version = $3, points = $4, customer_id = $5, original_sale_id = $6, decision_id = $7 WHERE merchant_id = $1 AND sale_id = $2`,
      [merchant.id, sale.saleId, sale.version, decision.points, customerId, isReturn ? originalId : null, decisionId],
    );
    const lineIds = sale.lines.filter((l) => l.quantity > 0).map((l) => l.lineId);
    if (lineIds.length) {
      await db.query(`INSERT INTO sale_lines (merchant_id, line_id, sale_id) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`, [merchant.id, lineIds, sale.saleId]);
    }
    await markEventDone(db, eventId);
    return { decision, outcome: 'applied', pendingUntil };
  });
}
