import type { Db } from '../../db/pool.js';
import type { SaleEventRow } from '../../inbox/repo.js';

export interface SaleKey {
  merchantId: string;
  saleId: string;
}

export interface SaleStateRead {
  /** Whether the sale has a state row at all (a return can create its original's before it is seen). */
  exists: boolean;
  appliedVersion: number | null;
  /** The sale's net points: what its lines earned less what its refund lines took back (`reversed`). */
  points: number;
  /** What its refund lines took back from its original (positive; 0 unless it is a return or an exchange). */
  reversed: number;
  /** The customer holding what the sale earned (for a pure return, its original's customer). */
  customerId: string | null;
  /** An applied return whose original has earned since: evaluate its version again. */
  reapply: boolean;
  rewardsRequested: boolean;
  /** Returns of this sale applied while it had earned nothing: applied again once it earns. */
  returnsBeforeSeen: string[];
  pending: { points: number; latest: Date | null };
  /** Points this sale's returns took back (positive), and how many returns were applied. */
  returned: { points: number; seq: number };
}

type Row = SaleEventRow & {
  state_exists: boolean;
  applied_version: number | null;
  points: number;
  reversed: number;
  customer_id: string | null;
  reapply: boolean;
  rewards_requested: boolean;
  returns_before_seen: string[];
  pending_points: number;
  pending_latest: Date | null;
  returned_points: number;
  returns_seq: number;
};

// Named: the sales worker runs it for every batch, and PostgreSQL then parses and plans it once per
// connection instead of every time (most of its cost when it was sent unnamed).
const READ = 'ledger.readSaleStates';
/** Exported for the test that checks its plan reads only the batch's own sales' pending entries. */
export const READ_SALE_STATES_SQL = `WITH k AS (
       SELECT e.id, e.merchant_id, e.sale_id, e.version, e.source, e.payload, e.status, e.received_at, e.processed_at, e.attempts, e.last_error, q.ord
         FROM unnest($1::bigint[]) WITH ORDINALITY AS q (id, ord) JOIN sale_events e ON e.id = q.id
       UNION ALL
       SELECT NULL::bigint, q.merchant_id, q.sale_id, NULL::bigint, NULL::text, NULL::jsonb, NULL::text, NULL::timestamptz, NULL::timestamptz, NULL::int, NULL::text, q.ord
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS q (merchant_id, sale_id, ord)
     )
     SELECT k.id, k.merchant_id, k.sale_id, k.version, k.source, k.payload, k.status, k.received_at, k.processed_at, k.attempts, k.last_error,
       st.sale_id IS NOT NULL AS state_exists, st.applied_version, coalesce(st.points, 0) AS points, st.customer_id, coalesce(st.returns_seq, 0) AS returns_seq,
       coalesce(st.reversed, 0) AS reversed, coalesce(st.reapply, false) AS reapply,
       (SELECT coalesce(sum(s.reversed), 0)::int FROM sale_state s WHERE s.merchant_id = k.merchant_id AND s.original_sale_id = k.sale_id) AS returned_points,
       EXISTS (SELECT 1 FROM rewards_requests WHERE merchant_id = k.merchant_id AND sale_id = k.sale_id) AS rewards_requested,
       ARRAY(SELECT s.sale_id FROM sale_state s
              WHERE s.merchant_id = k.merchant_id AND s.original_sale_id = k.sale_id AND s.applied_version IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = k.merchant_id AND d.sale_id = k.sale_id AND d.applied AND d.status IN ('credited', 'pending'))
              ORDER BY s.sale_id) AS returns_before_seen,
       coalesce(p.points, 0) AS pending_points, p.latest AS pending_latest
     FROM k
     LEFT JOIN sale_state st ON st.merchant_id = k.merchant_id AND st.sale_id = k.sale_id
     -- The batch's own sales' pending entries, by one probe of ledger_sale per key. Through the grouped view
     -- sale_pending_points PostgreSQL hashed every pending entry of every merchant on each batch (the join's
     -- keys are not pushed into a GROUP BY): 113 ms a batch at 15,000 pending entries in the soak. And with
     -- status in the WHERE, without fresh statistics (autovacuum off, a busy day's new rows) it chose the
     -- partial index ledger_pending_due and read all the merchant's pending entries per sale (4.5 ms a
     -- sale). Filtering status in the aggregate leaves (merchant_id, sale_id) the only index to use.
     LEFT JOIN LATERAL (SELECT sum(l.points) FILTER (WHERE l.status = 'pending')::int AS points,
                               max(l.available_at) FILTER (WHERE l.status = 'pending') AS latest
                          FROM ledger_entries l WHERE l.merchant_id = k.merchant_id AND l.sale_id = k.sale_id) p ON true
     ORDER BY k.ord`;

const stateOf = (r: Row): SaleStateRead => ({
  exists: r.state_exists,
  appliedVersion: r.applied_version,
  points: r.points,
  reversed: r.reversed,
  customerId: r.customer_id,
  reapply: r.reapply,
  rewardsRequested: r.rewards_requested,
  returnsBeforeSeen: r.returns_before_seen,
  pending: { points: r.pending_points, latest: r.pending_latest },
  returned: { points: r.returned_points, seq: r.returns_seq },
});

/**
 * Reads, in one round trip, the state of many sales and everything evaluation needs besides the rules:
 * the rewards button, returns applied before each sale was seen, and each sale's pending points.
 * Nothing is locked: the write checks that the state is still what was read (see saleVersionWrite.ts).
 */
export async function readSaleStates(db: Db, keys: SaleKey[]): Promise<SaleStateRead[]> {
  if (!keys.length) return [];
  const { rows } = await db.query<Row>({ name: READ, text: READ_SALE_STATES_SQL, values: [[], keys.map((k) => k.merchantId), keys.map((k) => k.saleId)] });
  return rows.map(stateOf);
}

export async function readSaleState(db: Db, merchantId: string, saleId: string): Promise<SaleStateRead> {
  return (await readSaleStates(db, [{ merchantId, saleId }]))[0]!;
}

/** Inbox events and their sales' states in one round trip (the sales worker's first read); a missing event is left out. */
export async function readEventsAndStates(db: Db, eventIds: number[]): Promise<Map<number, { event: SaleEventRow; state: SaleStateRead }>> {
  const out = new Map<number, { event: SaleEventRow; state: SaleStateRead }>();
  if (!eventIds.length) return out;
  const { rows } = await db.query<Row>({ name: READ, text: READ_SALE_STATES_SQL, values: [eventIds, [], []] });
  for (const r of rows) out.set(r.id, { event: r, state: stateOf(r) });
  return out;
}
