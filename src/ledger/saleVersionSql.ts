import type { Db } from '../db/pool.js';
import type { Decision } from '../rules/decision.js';
import type { Customer } from '../rules/sale.js';

export interface LockedSaleState {
  appliedVersion: number | null;
  points: number;
  customerId: string | null;
  rules: { version: number; document: unknown } | null;
  rewardsRequested: boolean;
  returnsBeforeSeen: string[];
  pending: { points: number; latest: Date | null };
}

/**
 * Locks the sale's state row (creating it if new) and reads everything evaluation needs in the same
 * round trip: current rules, the rewards button, returns applied before the sale was seen, and the
 * sale's pending points.
 */
export async function lockSaleState(db: Db, merchantId: string, saleId: string): Promise<LockedSaleState> {
  const { rows } = await db.query<{
    applied_version: number | null;
    points: number;
    customer_id: string | null;
    rules: { version: number; document: unknown } | null;
    rewards_requested: boolean;
    returns_before_seen: string[];
    pending_points: number;
    pending_latest: Date | null;
  }>(
    `WITH st AS (
       INSERT INTO sale_state (merchant_id, sale_id) VALUES ($1, $2)
       ON CONFLICT (merchant_id, sale_id) DO UPDATE SET merchant_id = excluded.merchant_id
       RETURNING applied_version, points, customer_id
     )
     SELECT st.applied_version, st.points, st.customer_id,
       (SELECT json_build_object('version', r.version, 'document', r.document) FROM rules_versions r
         WHERE r.merchant_id = $1 ORDER BY r.version DESC LIMIT 1) AS rules,
       EXISTS (SELECT 1 FROM rewards_requests WHERE merchant_id = $1 AND sale_id = $2) AS rewards_requested,
       ARRAY(SELECT s.sale_id FROM sale_state s
              WHERE s.merchant_id = $1 AND s.original_sale_id = $2 AND s.applied_version IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = $1 AND d.sale_id = $2 AND d.applied AND d.status IN ('credited', 'pending'))
              ORDER BY s.sale_id) AS returns_before_seen,
       (SELECT coalesce(sum(points), 0)::int FROM ledger_entries WHERE merchant_id = $1 AND sale_id = $2 AND status = 'pending') AS pending_points,
       (SELECT max(available_at) FROM ledger_entries WHERE merchant_id = $1 AND sale_id = $2 AND status = 'pending') AS pending_latest
     FROM st`,
    [merchantId, saleId],
  );
  const r = rows[0]!;
  return {
    appliedVersion: r.applied_version,
    points: r.points,
    customerId: r.customer_id,
    rules: r.rules,
    rewardsRequested: r.rewards_requested,
    returnsBeforeSeen: r.returns_before_seen,
    pending: { points: r.pending_points, latest: r.pending_latest },
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
 * Every write of one sale version in one statement: the decision, its ledger entries, the balances
 * (moved only by entries actually inserted), the customer's contact details, the sale's state, its
 * line index, and the inbox row marked done.
 */
export async function writeSaleVersion(
  db: Db,
  input: {
    merchantId: string;
    eventId: number | null;
    decision: Decision;
    entries: PlannedEntry[];
    customer: Customer | null;
    state: { version: number; points: number; customerId: string | null; originalSaleId: string | null };
    soldLineIds: string[];
  },
): Promise<number> {
  const { decision: d, state, customer } = input;
  const { rows } = await db.query<{ id: number }>(
    `WITH d AS (
       INSERT INTO decisions (merchant_id, sale_id, sale_version, event_id, rules_version, status, points, applied, customer_id, decision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, $9) RETURNING id
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
         SELECT $11::text AS customer_id, $12::text AS email, $13::text AS mobile WHERE $11::text IS NOT NULL
         UNION ALL SELECT customer_id, NULL, NULL FROM moved
       ) u GROUP BY customer_id
     ), c AS (
       INSERT INTO customers (merchant_id, customer_id, email, mobile, available, pending)
       SELECT $1, who.customer_id, who.email, who.mobile, coalesce(moved.available, 0), coalesce(moved.pending, 0)
         FROM who LEFT JOIN moved USING (customer_id)
       ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
         email = COALESCE(excluded.email, customers.email), mobile = COALESCE(excluded.mobile, customers.mobile),
         available = customers.available + excluded.available, pending = customers.pending + excluded.pending, updated_at = now()
     ), s AS (
       UPDATE sale_state SET applied_version = $3, points = $14, customer_id = $15, original_sale_id = $16, decision_id = (SELECT id FROM d)
        WHERE merchant_id = $1 AND sale_id = $2
     ), l AS (
       INSERT INTO sale_lines (merchant_id, line_id, sale_id) SELECT $1, unnest($17::text[]), $2 ON CONFLICT DO NOTHING
     ), ev AS (
       UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL WHERE id = $4
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
    ],
  );
  return rows[0]!.id;
}
