import type { Db } from '../db/pool.js';
import type { SaleEventRow } from '../inbox/repo.js';
import type { Decision } from '../rules/decision.js';
import type { Customer } from '../rules/sale.js';

export interface SaleStateRead {
  appliedVersion: number | null;
  points: number;
  customerId: string | null;
  rules: { version: number; document: unknown } | null;
  rewardsRequested: boolean;
  returnsBeforeSeen: string[];
  pending: { points: number; latest: Date | null };
  /** Points this sale's returns took back (positive), and how many returns were applied. */
  returned: { points: number; seq: number };
}

/**
 * Reads, in one round trip, the sale's state and everything evaluation needs: current rules, the
 * rewards button, returns applied before the sale was seen, and the sale's pending points. Nothing is
 * locked: the write checks that the state is still what was read (see writeSaleVersion).
 */
export async function readSaleState(db: Db, merchantId: string, saleId: string): Promise<SaleStateRead> {
  return (await readStateRows(db, { merchantId, saleId }))!.state;
}

/** The inbox event and its sale's state in one round trip (the sales worker's first read). */
export async function readEventAndState(db: Db, eventId: number): Promise<{ event: SaleEventRow; state: SaleStateRead } | null> {
  return readStateRows(db, { eventId });
}

async function readStateRows(db: Db, key: { merchantId: string; saleId: string } | { eventId: number }): Promise<{ event: SaleEventRow; state: SaleStateRead } | null> {
  const { rows } = await db.query<SaleEventRow & {
    applied_version: number | null;
    points: number;
    customer_id: string | null;
    rules: { version: number; document: unknown } | null;
    rewards_requested: boolean;
    returns_before_seen: string[];
    pending_points: number;
    pending_latest: Date | null;
    returned_points: number;
    returns_seq: number;
  }>(
    `WITH k AS (
       SELECT e.id, e.merchant_id, e.sale_id, e.version, e.source, e.payload, e.status, e.received_at, e.processed_at, e.attempts, e.last_error
         FROM sale_events e WHERE $3::bigint IS NOT NULL AND e.id = $3
       UNION ALL
       SELECT NULL::bigint, $1::text, $2::text, NULL::bigint, NULL::text, NULL::jsonb, NULL::text, NULL::timestamptz, NULL::timestamptz, NULL::int, NULL::text
        WHERE $3::bigint IS NULL
     )
     SELECT k.id, k.merchant_id, k.sale_id, k.version, k.source, k.payload, k.status, k.received_at, k.processed_at, k.attempts, k.last_error,
       st.applied_version, coalesce(st.points, 0) AS points, st.customer_id, coalesce(st.returns_seq, 0) AS returns_seq,
       (SELECT -coalesce(sum(s.points), 0)::int FROM sale_state s WHERE s.merchant_id = k.merchant_id AND s.original_sale_id = k.sale_id) AS returned_points,
       (SELECT json_build_object('version', r.version, 'document', r.document) FROM rules_versions r
         WHERE r.merchant_id = k.merchant_id ORDER BY r.version DESC LIMIT 1) AS rules,
       EXISTS (SELECT 1 FROM rewards_requests WHERE merchant_id = k.merchant_id AND sale_id = k.sale_id) AS rewards_requested,
       ARRAY(SELECT s.sale_id FROM sale_state s
              WHERE s.merchant_id = k.merchant_id AND s.original_sale_id = k.sale_id AND s.applied_version IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = k.merchant_id AND d.sale_id = k.sale_id AND d.applied AND d.status IN ('credited', 'pending'))
              ORDER BY s.sale_id) AS returns_before_seen,
       (SELECT coalesce(sum(points), 0)::int FROM ledger_entries WHERE merchant_id = k.merchant_id AND sale_id = k.sale_id AND status = 'pending') AS pending_points,
       (SELECT max(available_at) FROM ledger_entries WHERE merchant_id = k.merchant_id AND sale_id = k.sale_id AND status = 'pending') AS pending_latest
     FROM k LEFT JOIN sale_state st ON st.merchant_id = k.merchant_id AND st.sale_id = k.sale_id`,
    'eventId' in key ? [null, null, key.eventId] : [key.merchantId, key.saleId, null],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    event: r,
    state: {
      appliedVersion: r.applied_version,
      points: r.points,
      customerId: r.customer_id,
      rules: r.rules,
      rewardsRequested: r.rewards_requested,
      returnsBeforeSeen: r.returns_before_seen,
      pending: { points: r.pending_points, latest: r.pending_latest },
      returned: { points: r.returned_points, seq: r.returns_seq },
    },
  };
}

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

/**
 * Every write of one sale version in one statement: the sale's state, the decision, its ledger entries,
 * the balances (moved only by entries actually inserted), the customer's contact details, the sale's
 * line index, and the inbox row marked done. Optimistic: nothing is written unless the sale's state is
 * still `expect` (and, for a return, the original's return counter is still `original.returnsSeq`), so
 * two workers on one sale, or two returns of one original, cannot both apply. Returns the decision id,
 * or null when the state moved (read again and retry).
 */
export async function writeSaleVersion(
  db: Db,
  input: {
    merchantId: string;
    eventId: number | null;
    decision: Decision;
    entries: PlannedEntry[];
    customer: Customer | null;
    /** The sale's state as read; returnsSeq so that a return applied meanwhile makes this write retry. */
    expect: { appliedVersion: number | null; points: number; returnsSeq: number };
    original: { saleId: string; returnsSeq: number } | null;
    state: { version: number; points: number; customerId: string | null; originalSaleId: string | null };
    soldLineIds: string[];
  },
): Promise<number | null> {
  const { decision: d, state, customer } = input;
  const { rows } = await db.query<{ id: number }>(
    `WITH o AS (
       INSERT INTO sale_state (merchant_id, sale_id, returns_seq) SELECT $1, $20, 1 WHERE $20::text IS NOT NULL
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET returns_seq = sale_state.returns_seq + 1
        WHERE sale_state.returns_seq = $21
       RETURNING 1
     ), s AS (
       INSERT INTO sale_state (merchant_id, sale_id, applied_version, points, customer_id, original_sale_id, decision_id)
       SELECT $1, $2, $3, $14, $15, $16, nextval(pg_get_serial_sequence('decisions', 'id'))
        WHERE $20::text IS NULL OR EXISTS (SELECT 1 FROM o)
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET
         applied_version = excluded.applied_version, points = excluded.points, customer_id = excluded.customer_id,
         original_sale_id = excluded.original_sale_id, decision_id = excluded.decision_id
        WHERE sale_state.applied_version IS NOT DISTINCT FROM $18::bigint AND sale_state.points = $19 AND sale_state.returns_seq = $22
       RETURNING decision_id
     ), d AS (
       INSERT INTO decisions (id, merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision)
       SELECT s.decision_id, $1, $2, $3, $4, $5, $6, $7, true, $8, $9 FROM s RETURNING id
     ), e AS (
       INSERT INTO ledger_entries (merchant_id, customer_id, sale_id, kind, points, status, available_at, decision_id, idempotency_key, note)
       SELECT $1, x.customer_id, x.sale_id, x.kind, x.points, x.status, x.available_at, d.id, x.key, x.note
         FROM d, jsonb_to_recordset($10::jsonb) AS x(customer_id text, sale_id text, kind text, points int, status text, available_at timestamptz, key text, note text)
       ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
       RETURNING customer_id, points, status
     ), moved AS (
       SELECT customer_id, coalesce(sum(points) FILTER (WHERE status = 'posted'), 0) AS available, coalesce(sum(points) FILTER (WHERE status = 'pending'), 0) AS pending
         FROM e GROUP BY customer_id
     ), who AS (
       SELECT customer_id, max(email) AS email, max(mobile) AS mobile FROM (
         SELECT $11::text AS customer_id, $12::text AS email, $13::text AS mobile FROM d WHERE $11::text IS NOT NULL
         UNION ALL SELECT customer_id, NULL, NULL FROM moved
       ) u GROUP BY customer_id
     ), c AS (
       INSERT INTO customers (merchant_id, customer_id, email, mobile, available, pending)
       SELECT $1, who.customer_id, who.email, who.mobile, coalesce(moved.available, 0), coalesce(moved.pending, 0)
         FROM who LEFT JOIN moved USING (customer_id)
       ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
         email = COALESCE(excluded.email, customers.email), mobile = COALESCE(excluded.mobile, customers.mobile),
         available = customers.available + excluded.available, pending = customers.pending + excluded.pending, updated_at = now()
     ), l AS (
       INSERT INTO sale_lines (merchant_id, line_id, sale_id) SELECT $1, line_id, $2 FROM d, unnest($17::text[]) AS line_id ON CONFLICT DO NOTHING
     ), ev AS (
       UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL WHERE id = $4 AND EXISTS (SELECT 1 FROM d)
     )
     SELECT id FROM d`,
    [
      input.merchantId,
      d.saleId,
      state.version,
      input.eventId,
      d.rulesVersion,
      d.status,
      d.points,
      d.customerId,
      JSON.stringify(d),
      JSON.stringify(input.entries.map((e) => ({ customer_id: e.customerId, sale_id: e.saleId, kind: e.kind, points: e.points, status: e.status, available_at: e.availableAt, key: e.key, note: e.note ?? null }))),
      customer?.id ?? null,
      customer?.email ?? null,
      customer?.mobile ?? null,
      state.points,
      state.customerId,
      state.originalSaleId,
      input.soldLineIds,
      input.expect.appliedVersion,
      input.expect.points,
      input.original?.saleId ?? null,
      input.original?.returnsSeq ?? 0,
      input.expect.returnsSeq,
    ],
  );
  return rows[0]?.id ?? null;
}
