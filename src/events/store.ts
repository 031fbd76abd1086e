import type { Db } from '../db/pool.js';

/** An endpoint as stored (secrets still sealed). */
export interface EndpointRow {
  id: number;
  merchant_id: string | null;
  url: string;
  description: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: 'manual' | 'gone' | 'failing' | null;
  disabled_at: Date | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ENDPOINT_COLUMNS = `id::int, merchant_id, url, description, event_types, enabled, disabled_reason, disabled_at, secret, previous_secret,
  previous_secret_until, failing_since, created_at, updated_at`;

export async function nextEndpointId(db: Db): Promise<number> {
  const { rows } = await db.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('webhook_endpoints', 'id'))::int AS id`);
  return rows[0]!.id;
}

export async function insertEndpoint(
  db: Db,
  e: { id: number; merchantId: string | null; url: string; description: string; eventTypes: string[]; enabled: boolean; secret: string },
): Promise<EndpointRow> {
  const { rows } = await db.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, merchant_id, url, description, event_types, enabled, disabled_reason, disabled_at, secret)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN NULL ELSE 'manual' END, CASE WHEN $6 THEN NULL ELSE now() END, $7)
     RETURNING ${ENDPOINT_COLUMNS}`,
    [e.id, e.merchantId, e.url, e.description, e.eventTypes, e.enabled, e.secret],
  );
  return rows[0]!;
}

export async function getEndpoint(db: Db, id: number): Promise<EndpointRow | null> {
  const { rows } = await db.query<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** A merchant's endpoints; `null`: the platform-wide ones. */
export async function listEndpoints(db: Db, merchantId: string | null): Promise<EndpointRow[]> {
  const { rows } = await db.query<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE merchant_id IS NOT DISTINCT FROM $1 ORDER BY id`, [
    merchantId,
  ]);
  return rows;
}

export async function updateEndpoint(db: Db, id: number, patch: { url?: string; description?: string; eventTypes?: string[] }): Promise<EndpointRow | null> {
  const { rows } = await db.query<EndpointRow>(
    `UPDATE webhook_endpoints SET url = coalesce($2, url), description = coalesce($3, description), event_types = coalesce($4, event_types), updated_at = now()
      WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [id, patch.url ?? null, patch.description ?? null, patch.eventTypes ?? null],
  );
  return rows[0] ?? null;
}

/** Enables (clearing the failure clock) or disables with a reason. */
export async function setEndpointEnabled(db: Db, id: number, enabled: boolean, reason: 'manual' | 'gone' | 'failing' = 'manual'): Promise<EndpointRow | null> {
  const { rows } = await db.query<EndpointRow>(
    `UPDATE webhook_endpoints SET enabled = $2, disabled_reason = CASE WHEN $2 THEN NULL ELSE $3 END,
            disabled_at = CASE WHEN $2 THEN NULL ELSE now() END, failing_since = CASE WHEN $2 THEN NULL ELSE failing_since END, updated_at = now()
      WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [id, enabled, reason],
  );
  return rows[0] ?? null;
}

export async function rotateEndpointSecret(db: Db, id: number, secret: string, previous: string, previousUntil: Date): Promise<EndpointRow | null> {
  const { rows } = await db.query<EndpointRow>(
    `UPDATE webhook_endpoints SET secret = $2, previous_secret = $3, previous_secret_until = $4, updated_at = now() WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [id, secret, previous, previousUntil],
  );
  return rows[0] ?? null;
}

export async function deleteEndpoint(db: Db, id: number): Promise<boolean> {
  const result = await db.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
  return (result.rowCount ?? 0) > 0;
}

/** An outbox row waiting for its body, with what the body names (merchant name, the sale's receipt). */
export interface UndispatchedEvent {
  seq_id: number;
  id: string;
  merchant_id: string;
  merchant_name: string;
  type: string;
  customer_id: string | null;
  customer_seq: number | null;
  sale_id: string | null;
  receipt: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
}

/** Locks the oldest undispatched events (SKIP LOCKED: dispatchers in several processes share them). Inside a transaction. */
export async function lockUndispatched(db: Db, limit: number): Promise<UndispatchedEvent[]> {
  const { rows } = await db.query<UndispatchedEvent>(
    `WITH o AS (SELECT * FROM outbound_events WHERE dispatched_at IS NULL ORDER BY seq_id LIMIT $1 FOR UPDATE SKIP LOCKED)
     SELECT o.seq_id::int, o.id, o.merchant_id, m.name AS merchant_name, o.type, o.customer_id, o.customer_seq::int, o.sale_id, o.data, o.occurred_at,
            (SELECT receipt FROM sale_events s WHERE s.merchant_id = o.merchant_id AND s.sale_id = o.sale_id AND s.receipt IS NOT NULL ORDER BY s.id DESC LIMIT 1) AS receipt
       FROM o LEFT JOIN merchants m ON m.id = o.merchant_id ORDER BY o.seq_id`,
    [limit],
  );
  return rows;
}

/**
 * Stores each event's body and creates its deliveries, one per enabled endpoint that wants it (the
 * merchant's and the platform-wide ones). UNIQUE (event, endpoint): a second run creates none. Returns
 * the endpoints that got deliveries.
 */
export async function markDispatched(db: Db, events: Array<{ seqId: number; body: string }>): Promise<number[]> {
  if (!events.length) return [];
  const { rows } = await db.query<{ endpoint_id: number }>(
    `WITH input AS (SELECT * FROM unnest($1::bigint[], $2::text[]) AS i (seq_id, body)),
          ev AS (UPDATE outbound_events o SET body = i.body, dispatched_at = now() FROM input i WHERE o.seq_id = i.seq_id RETURNING o.seq_id, o.merchant_id, o.type),
          d AS (INSERT INTO webhook_deliveries (event_seq, endpoint_id)
                SELECT ev.seq_id, w.id FROM ev JOIN webhook_endpoints w
                  ON w.enabled AND (w.merchant_id IS NULL OR w.merchant_id = ev.merchant_id) AND (cardinality(w.event_types) = 0 OR ev.type = ANY (w.event_types))
                ON CONFLICT (event_seq, endpoint_id) DO NOTHING RETURNING endpoint_id)
     SELECT DISTINCT endpoint_id::int FROM d`,
    [events.map((e) => e.seqId), events.map((e) => e.body)],
  );
  return rows.map((r) => r.endpoint_id);
}

/** Takes the endpoint's drain lease (one drain at a time per endpoint); null when it is held, or the endpoint is gone or disabled. */
export async function acquireDrain(db: Db, endpointId: number, leaseMs: number): Promise<EndpointRow | null> {
  const { rows } = await db.query<EndpointRow>(
    `UPDATE webhook_endpoints SET drain_until = now() + $2 * interval '1 millisecond'
      WHERE id = $1 AND enabled AND (drain_until IS NULL OR drain_until < now()) RETURNING ${ENDPOINT_COLUMNS}`,
    [endpointId, leaseMs],
  );
  return rows[0] ?? null;
}

export async function releaseDrain(db: Db, endpointId: number): Promise<void> {
  await db.query(`UPDATE webhook_endpoints SET drain_until = NULL WHERE id = $1`, [endpointId]);
}

export interface DueDelivery {
  delivery_id: number;
  event_id: string;
  body: string;
  attempts: number;
}

export async function dueDeliveries(db: Db, endpointId: number, limit: number): Promise<DueDelivery[]> {
  const { rows } = await db.query<DueDelivery>(
    `SELECT d.id::int AS delivery_id, o.id AS event_id, o.body, d.attempts FROM webhook_deliveries d JOIN outbound_events o ON o.seq_id = d.event_seq
      WHERE d.endpoint_id = $1 AND d.status = 'pending' AND d.next_attempt_at <= now() ORDER BY d.next_attempt_at, d.id LIMIT $2`,
    [endpointId, limit],
  );
  return rows;
}

export interface AttemptOutcome {
  deliveryId: number;
  status: 'pending' | 'delivered' | 'failed';
  responseStatus: number | null;
  latencyMs: number;
  excerpt: string;
  error: string | null;
  /** For a pending (retry) outcome: when to try again. */
  nextAttemptAt: Date | null;
}

/** Records a batch of attempts in one statement. */
export async function recordAttempts(db: Db, outcomes: AttemptOutcome[]): Promise<void> {
  if (!outcomes.length) return;
  await db.query(
    `UPDATE webhook_deliveries d SET status = i.status, attempts = d.attempts + 1, first_attempt_at = coalesce(d.first_attempt_at, now()),
            last_attempt_at = now(), response_status = i.response_status, latency_ms = i.latency_ms, response_excerpt = i.excerpt, error = i.error,
            next_attempt_at = coalesce(i.next_attempt_at, d.next_attempt_at), delivered_at = CASE WHEN i.status = 'delivered' THEN now() END
       FROM jsonb_to_recordset($1::jsonb) AS i (id bigint, status text, response_status int, latency_ms int, excerpt text, error text, next_attempt_at timestamptz)
      WHERE d.id = i.id`,
    [
      JSON.stringify(
        outcomes.map((o) => ({
          id: o.deliveryId,
          status: o.status,
          response_status: o.responseStatus,
          latency_ms: o.latencyMs,
          excerpt: o.excerpt,
          error: o.error,
          next_attempt_at: o.nextAttemptAt?.toISOString() ?? null,
        })),
      ),
    ],
  );
}

/** Puts pending deliveries off to `until` without counting an attempt (a dead endpoint's round stopped early). */
export async function deferDeliveries(db: Db, deliveryIds: number[], until: Date): Promise<void> {
  await db.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = ANY($1::bigint[]) AND status = 'pending'`, [deliveryIds, until]);
}

/** After a drain batch: a success clears the failure clock; a batch of only failures starts it. Returns failing_since. */
export async function noteEndpointHealth(db: Db, endpointId: number, anySuccess: boolean): Promise<Date | null> {
  const { rows } = await db.query<{ failing_since: Date | null }>(
    `UPDATE webhook_endpoints SET failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(failing_since, now()) END WHERE id = $1 RETURNING failing_since`,
    [endpointId, anySuccess],
  );
  return rows[0]?.failing_since ?? null;
}

/** Endpoints with deliveries due and no drain running: what the sweep wakes up. */
export async function endpointsWithDue(db: Db): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT w.id::int FROM webhook_endpoints w
      WHERE w.enabled AND (w.drain_until IS NULL OR w.drain_until < now())
        AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= now())`,
  );
  return rows.map((r) => r.id);
}

/** The earliest pending attempt of an endpoint (for the delayed wake-up after a retry is scheduled). */
export async function nextDueAt(db: Db, endpointId: number): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT min(next_attempt_at) AS at FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending'`,
    [endpointId],
  );
  return rows[0]?.at ?? null;
}

export interface DeliveryRow {
  id: number;
  endpoint_id: number;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  response_status: number | null;
  latency_ms: number | null;
  response_excerpt: string | null;
  error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export async function listDeliveries(db: Db, endpointId: number, filter: { status?: string; limit: number; before?: number }): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT d.id::int, d.endpoint_id::int, o.id AS event_id, o.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at,
            d.response_status, d.latency_ms, d.response_excerpt, d.error, d.delivered_at, d.created_at
       FROM webhook_deliveries d JOIN outbound_events o ON o.seq_id = d.event_seq
      WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($4::bigint IS NULL OR d.id < $4)
      ORDER BY d.id DESC LIMIT $3`,
    [endpointId, filter.status ?? null, filter.limit, filter.before ?? null],
  );
  return rows;
}

/** Sends one delivery again now (same event id: receivers drop it if they had it). */
export async function replayDelivery(db: Db, endpointId: number, deliveryId: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), attempts = 0, first_attempt_at = NULL WHERE id = $1 AND endpoint_id = $2`,
    [deliveryId, endpointId],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Sends again every event since `since` the endpoint wants (its merchant's, or all for a platform-wide
 * one), creating the deliveries it never had (an endpoint added later) and resetting the others.
 */
export async function replaySince(db: Db, endpoint: EndpointRow, since: Date): Promise<number> {
  const result = await db.query(
    `INSERT INTO webhook_deliveries (event_seq, endpoint_id)
     SELECT o.seq_id, $1 FROM outbound_events o
      WHERE o.occurred_at >= $3 AND o.dispatched_at IS NOT NULL AND o.type <> 'webhook.test' AND ($2::text IS NULL OR o.merchant_id = $2)
        AND (cardinality($4::text[]) = 0 OR o.type = ANY ($4::text[]))
     ON CONFLICT (event_seq, endpoint_id) DO UPDATE SET status = 'pending', next_attempt_at = now(), attempts = 0, first_attempt_at = NULL`,
    [endpoint.id, endpoint.merchant_id, since, endpoint.event_types],
  );
  return result.rowCount ?? 0;
}

/** A `webhook.test` event for one endpoint: written dispatched, with its one delivery. */
export async function insertTestEvent(db: Db, endpoint: EndpointRow, merchantId: string | null, body: (id: string) => string, id: string): Promise<string> {
  await db.query(
    `WITH o AS (INSERT INTO outbound_events (id, source, merchant_id, type, data, body, dispatched_at)
                VALUES ($1, 'test:' || $1, $2, 'webhook.test', '{}'::jsonb, $3, now()) RETURNING seq_id)
     INSERT INTO webhook_deliveries (event_seq, endpoint_id) SELECT seq_id, $4 FROM o`,
    [id, merchantId, body(id), endpoint.id],
  );
  return id;
}

/** Extends the drain lease of an endpoint held by the current drain job. */
export async function renewDrainLease(db: Db, endpointId: number, leaseMs: number): Promise<void> {
  await db.query(`UPDATE webhook_endpoints SET drain_until = now() + $2 * interval '1 millisecond' WHERE id = $1`, [endpointId, leaseMs]);
}

/**
 * Retention: deletes at most `limit` events that happened before `cutoff`, were dispatched and have no
 * delivery still pending, oldest first; their deliveries (the delivery log) go with them (ON DELETE
 * CASCADE). Rows another transaction holds are skipped. event_sequences stays: numbers never restart.
 */
export async function deleteOldEvents(db: Db, cutoff: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query({
    name: 'events.deleteOldEvents',
    // MATERIALIZED: the LIMIT subquery runs once, so a statement deletes one batch at most.
    text: `WITH batch AS MATERIALIZED (
             SELECT o.seq_id FROM outbound_events o
              WHERE o.occurred_at < $1 AND o.dispatched_at IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = o.seq_id AND d.status = 'pending')
              ORDER BY o.occurred_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           DELETE FROM outbound_events o USING batch WHERE o.seq_id = batch.seq_id`,
    values: [cutoff, limit],
  });
  return rowCount ?? 0;
}
