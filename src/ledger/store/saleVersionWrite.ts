import type { Db } from '../../db/pool.js';
import type { Decision } from '../../rules/decision.js';
import type { Customer } from '../../rules/sale.js';

export interface PlannedEntry {
  customerId: string;
  saleId: string;
  kind: 'earn' | 'reverse';
  points: number;
  status: 'pending' | 'posted';
  availableAt: string;
  /** Idempotency key: UNIQUE per merchant, so the same cause posts once. */
  key: string;
  note?: string;
}

/** Everything one sale version writes, and the state it expects to find. */
export interface SaleVersionWrite {
  merchantId: string;
  eventId: number | null;
  decision: Decision;
  entries: PlannedEntry[];
  /** Contact details to keep on the customer's row. */
  customer: Customer | null;
  /**
   * The sale's state as read. returnsSeq is the sale's write counter (moved by each of its writes and
   * each write of one of its returns): a return applied meanwhile makes this write retry, and a return
   * that read this sale before this write makes the return retry.
   */
  expect: { exists: boolean; appliedVersion: number | null; points: number; returnsSeq: number; reapply: boolean };
  /** For a return: the original sale and its return counter as read. */
  original: { saleId: string; returnsSeq: number } | null;
  state: { version: number; points: number; reversed: number; customerId: string | null; originalSaleId: string | null };
  soldLineIds: string[];
  /** Returns of this sale applied while it earned nothing, to evaluate again now that it earns. */
  reapplyReturns: string[];
  /** For a return whose original is not known yet (R-Series): the original lines it refunds, to wait for. */
  waitingForLines: string[];
}

/** A return evaluated again because its original was applied: its inbox row, reopened, to queue. */
export interface ReopenedReturn {
  eventId: number;
  saleId: string;
}

/** What one applied write did: its decision, and the waiting returns it reopened. */
export interface WrittenSaleVersion {
  decisionId: number;
  reopened: ReopenedReturn[];
}

/**
 * Given `again` (ord, merchant_id, sale_id): those returns are evaluated again, flagged, and their newest
 * inbox row reopened (the worker applies it at once; the sweep queues it should that not happen). A row
 * whose payload retention dropped cannot be evaluated again and stays as it is. Yields `reopened`.
 */
const REOPEN_CTES = `flagged AS (
       UPDATE sale_state s SET reapply = true FROM again g
        WHERE s.merchant_id = g.merchant_id AND s.sale_id = g.sale_id AND s.applied_version IS NOT NULL
       RETURNING g.ord, s.merchant_id, s.sale_id
     ), reopened AS (
       UPDATE sale_events e SET status = 'received', processed_at = NULL, last_error = NULL, retry_at = NULL
         FROM flagged f
        WHERE e.id = (SELECT l.id FROM sale_events l WHERE l.merchant_id = f.merchant_id AND l.sale_id = f.sale_id ORDER BY l.version DESC LIMIT 1)
          AND e.payload IS NOT NULL
       RETURNING f.ord, e.id, e.sale_id
     )`;

const WRITE = 'ledger.writeSaleVersions';
const WRITE_SQL = `WITH input AS (
       SELECT i.*, a.ord FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a (doc, ord), jsonb_to_record(a.doc) AS i (
         merchant_id text, sale_id text, version bigint, event_id bigint, rules_version int, status text, points int, decision_customer_id text,
         decision jsonb, entries jsonb, contact_id text, email text, mobile text, state_points int, state_reversed int, state_customer_id text,
         original_sale_id text, sold_line_ids jsonb, reapply_returns jsonb, waiting_lines jsonb,
         expect_exists boolean, expect_version bigint, expect_points int, expect_returns_seq int, expect_reapply boolean, original_returns_seq int)
     ), o AS (
       -- A return moves its original's return counter forward, only from the value it read.
       INSERT INTO sale_state (merchant_id, sale_id, returns_seq)
       SELECT merchant_id, original_sale_id, original_returns_seq + 1 FROM input WHERE original_sale_id IS NOT NULL
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET returns_seq = sale_state.returns_seq + 1
        WHERE sale_state.returns_seq = excluded.returns_seq - 1
       RETURNING merchant_id, sale_id
     ), ready AS (
       SELECT i.* FROM input i
        WHERE i.original_sale_id IS NULL OR EXISTS (SELECT 1 FROM o WHERE o.merchant_id = i.merchant_id AND o.sale_id = i.original_sale_id)
     ), moved_state AS (
       UPDATE sale_state st SET applied_version = r.version, points = r.state_points, reversed = r.state_reversed, customer_id = r.state_customer_id,
              original_sale_id = r.original_sale_id, decision_id = nextval(pg_get_serial_sequence('decisions', 'id')),
              returns_seq = st.returns_seq + 1, reapply = false
         FROM ready r
        WHERE r.expect_exists AND st.merchant_id = r.merchant_id AND st.sale_id = r.sale_id
          AND st.applied_version IS NOT DISTINCT FROM r.expect_version AND st.points = r.expect_points AND st.returns_seq = r.expect_returns_seq
          AND st.reapply = r.expect_reapply
       RETURNING st.merchant_id, st.sale_id, st.decision_id
     ), new_state AS (
       INSERT INTO sale_state (merchant_id, sale_id, applied_version, points, reversed, customer_id, original_sale_id, decision_id, returns_seq)
       SELECT merchant_id, sale_id, version, state_points, state_reversed, state_customer_id, original_sale_id, nextval(pg_get_serial_sequence('decisions', 'id')), 1
         FROM ready WHERE NOT expect_exists
       ON CONFLICT (merchant_id, sale_id) DO NOTHING
       RETURNING merchant_id, sale_id, decision_id
     ), applied AS (
       SELECT r.*, s.decision_id FROM ready r JOIN (SELECT * FROM moved_state UNION ALL SELECT * FROM new_state) s USING (merchant_id, sale_id)
     ), d AS (
       INSERT INTO decisions (id, merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision)
       SELECT decision_id, merchant_id, sale_id, version, event_id, rules_version, status, points, true, decision_customer_id, decision FROM applied
       RETURNING id
     ), e AS (
       INSERT INTO ledger_entries (merchant_id, customer_id, sale_id, kind, points, status, available_at, decision_id, idempotency_key, note)
       SELECT a.merchant_id, x.customer_id, x.sale_id, x.kind, x.points, x.status, x.available_at, d.id, x.key, x.note
         FROM d JOIN applied a ON a.decision_id = d.id,
              jsonb_to_recordset(a.entries) AS x (customer_id text, sale_id text, kind text, points int, status text, available_at timestamptz, key text, note text)
       ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
       RETURNING merchant_id, customer_id, points, status
     ), moved AS (
       SELECT merchant_id, customer_id, coalesce(sum(points) FILTER (WHERE status = 'posted'), 0) AS available, coalesce(sum(points) FILTER (WHERE status = 'pending'), 0) AS pending
         FROM e GROUP BY merchant_id, customer_id
     ), who AS (
       SELECT merchant_id, customer_id, max(email) AS email, max(mobile) AS mobile FROM (
         SELECT merchant_id, contact_id AS customer_id, email, mobile FROM applied WHERE contact_id IS NOT NULL
         UNION ALL SELECT merchant_id, customer_id, NULL, NULL FROM moved
       ) u GROUP BY merchant_id, customer_id
     ), c AS (
       INSERT INTO customers (merchant_id, customer_id, email, mobile, available, pending)
       SELECT who.merchant_id, who.customer_id, who.email, who.mobile, coalesce(moved.available, 0), coalesce(moved.pending, 0)
         FROM who LEFT JOIN moved USING (merchant_id, customer_id)
       ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
         email = COALESCE(excluded.email, customers.email), mobile = COALESCE(excluded.mobile, customers.mobile),
         available = customers.available + excluded.available, pending = customers.pending + excluded.pending, updated_at = now()
     ), l AS (
       INSERT INTO sale_lines (merchant_id, line_id, sale_id)
       SELECT a.merchant_id, line_id, a.sale_id FROM applied a, jsonb_array_elements_text(a.sold_line_ids) AS line_id
       ON CONFLICT DO NOTHING
     ), ev AS (
       UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL FROM applied a WHERE sale_events.id = a.event_id
     ), waits AS (
       -- An R-Series return whose original lines are not known yet waits for them.
       INSERT INTO refund_waits (merchant_id, line_id, sale_id)
       SELECT a.merchant_id, line_id, a.sale_id FROM applied a, jsonb_array_elements_text(a.waiting_lines) AS line_id
       ON CONFLICT DO NOTHING
     ), again AS (
       SELECT a.ord, a.merchant_id, x.sale_id FROM applied a, jsonb_array_elements_text(a.reapply_returns) AS x (sale_id)
     ), ${REOPEN_CTES}
     SELECT a.ord::int, a.decision_id,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('eventId', r.id, 'saleId', r.sale_id)), '[]'::jsonb) FROM reopened r WHERE r.ord = a.ord) AS reopened
       FROM applied a`;

const row = (w: SaleVersionWrite) => ({
  merchant_id: w.merchantId,
  sale_id: w.decision.saleId,
  version: w.state.version,
  event_id: w.eventId,
  rules_version: w.decision.rulesVersion,
  status: w.decision.status,
  points: w.decision.points,
  decision_customer_id: w.decision.customerId,
  decision: w.decision,
  entries: w.entries.map((e) => ({
    customer_id: e.customerId,
    sale_id: e.saleId,
    kind: e.kind,
    points: e.points,
    status: e.status,
    available_at: e.availableAt,
    key: e.key,
    note: e.note ?? null,
  })),
  contact_id: w.customer?.id ?? null,
  email: w.customer?.email ?? null,
  mobile: w.customer?.mobile ?? null,
  state_points: w.state.points,
  state_reversed: w.state.reversed,
  state_customer_id: w.state.customerId,
  original_sale_id: w.state.originalSaleId,
  sold_line_ids: w.soldLineIds,
  reapply_returns: w.reapplyReturns,
  waiting_lines: w.waitingForLines,
  expect_exists: w.expect.exists,
  expect_version: w.expect.appliedVersion,
  expect_points: w.expect.points,
  expect_returns_seq: w.expect.returnsSeq,
  expect_reapply: w.expect.reapply,
  original_returns_seq: w.original?.returnsSeq ?? 0,
});

/**
 * Every write of many sale versions in one statement (one commit): each sale's state, decision, ledger
 * entries, line index and inbox row, and the balances of their customers (moved only by entries
 * actually inserted). Optimistic, sale by sale: a sale writes nothing unless its state is still
 * `expect` (and, for a return, its original's return counter is still `original.returnsSeq`), so two
 * workers on one sale, or two returns of one original, cannot both apply. The caller never puts two
 * writes touching the same sale (or a return beside its original) in one call. Returns, per write, the
 * decision id and the waiting returns it reopened, or null when that sale's state moved (read again and
 * retry that sale alone).
 */
export async function writeSaleVersions(db: Db, writes: SaleVersionWrite[]): Promise<Array<WrittenSaleVersion | null>> {
  if (!writes.length) return [];
  const { rows } = await db.query<{ ord: number; decision_id: number; reopened: ReopenedReturn[] }>({
    name: WRITE,
    text: WRITE_SQL,
    values: [JSON.stringify(writes.map(row))],
  });
  const out: Array<WrittenSaleVersion | null> = writes.map(() => null);
  for (const r of rows) out[r.ord - 1] = { decisionId: r.decision_id, reopened: r.reopened };
  return out;
}

const WAITS = 'ledger.resolveRefundWaits';
const WAITS_SQL = `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS i (ord int, merchant_id text, sale_id text, sold_line_ids jsonb, waiting_lines jsonb)
     ), lines AS (
       SELECT i.ord, i.merchant_id, x.line_id FROM input i, jsonb_array_elements_text(i.sold_line_ids) AS x (line_id)
       UNION ALL SELECT i.ord, i.merchant_id, x.line_id FROM input i, jsonb_array_elements_text(i.waiting_lines) AS x (line_id)
     ), known AS (
       -- Waits on a line a sale of this batch sold, or that a return of this batch left, once that line is known.
       DELETE FROM refund_waits w USING lines k
        WHERE w.merchant_id = k.merchant_id AND w.line_id = k.line_id
          AND EXISTS (SELECT 1 FROM sale_lines l WHERE l.merchant_id = w.merchant_id AND l.line_id = w.line_id)
       RETURNING k.ord, w.merchant_id, w.sale_id
     ), again AS (
       SELECT DISTINCT ON (merchant_id, sale_id) ord, merchant_id, sale_id FROM known ORDER BY merchant_id, sale_id, ord
     ), ${REOPEN_CTES}
     SELECT ord, id AS "eventId", sale_id AS "saleId" FROM reopened`;

/**
 * R-Series returns that came before their original: run after the writes committed, so that of a return
 * and its original written at the same time by two workers, the later one to commit finds the other
 * (each statement sees what committed before it began; the writes themselves cannot see each other).
 * Returns, per write (by position), the waiting returns it reopened.
 */
export async function resolveRefundWaits(
  db: Db,
  sales: Array<{ merchantId: string; saleId: string; soldLineIds: string[]; refundedLineIds: string[] }>,
): Promise<ReopenedReturn[][]> {
  const out: ReopenedReturn[][] = sales.map(() => []);
  const input = sales
    .map((w, k) => ({ ord: k, merchant_id: w.merchantId, sale_id: w.saleId, sold_line_ids: w.soldLineIds, waiting_lines: w.refundedLineIds }))
    .filter((w) => w.sold_line_ids.length || w.waiting_lines.length);
  if (!input.length) return out;
  const { rows } = await db.query<{ ord: number; eventId: number; saleId: string }>({ name: WAITS, text: WAITS_SQL, values: [JSON.stringify(input)] });
  for (const r of rows) out[r.ord]!.push({ eventId: Number(r.eventId), saleId: r.saleId });
  return out;
}

/** A decision that applies nothing (a stale version, a paused merchant), and what its inbox row becomes. */
export interface DecisionNote {
  merchantId: string;
  eventId: number | null;
  decision: Decision;
  /** done: nothing more to do; waiting: the merchant is paused, the sweeper runs it again once resumed. */
  eventStatus: 'done' | 'waiting';
}

const NOTE = 'ledger.writeDecisionNotes';
const NOTE_SQL = `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS i (merchant_id text, sale_id text, sale_version bigint, event_id bigint, rules_version int,
         status text, points int, customer_id text, decision jsonb, event_status text)
     ), d AS (
       INSERT INTO decisions (merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision)
       SELECT merchant_id, sale_id, sale_version, event_id, rules_version, status, points, false, customer_id, decision FROM input
     )
     UPDATE sale_events e SET status = i.event_status,
            processed_at = CASE WHEN i.event_status = 'done' THEN now() ELSE e.processed_at END,
            last_error = CASE WHEN i.event_status = 'done' THEN NULL ELSE e.last_error END
       FROM input i WHERE e.id = i.event_id`;

/** Records decisions that apply nothing, and moves their inbox rows, in one statement. */
export async function writeDecisionNotes(db: Db, notes: DecisionNote[]): Promise<void> {
  if (!notes.length) return;
  const input = notes.map((n) => ({
    merchant_id: n.merchantId,
    sale_id: n.decision.saleId,
    sale_version: n.decision.saleVersion,
    event_id: n.eventId,
    rules_version: n.decision.rulesVersion,
    status: n.decision.status,
    points: n.decision.points,
    customer_id: n.decision.customerId,
    decision: n.decision,
    event_status: n.eventStatus,
  }));
  await db.query({ name: NOTE, text: NOTE_SQL, values: [JSON.stringify(input)] });
}

const DONE = 'ledger.markEventsDone';

/** A version already applied (a repeated delivery): its inbox rows are done, nothing else is written. */
export async function markEventsDone(db: Db, eventIds: number[]): Promise<void> {
  if (!eventIds.length) return;
  await db.query({
    name: DONE,
    text: `UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])`,
    values: [eventIds],
  });
}
