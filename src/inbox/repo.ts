import type { Db } from '../db/pool.js';

export interface NewSaleEvent {
  merchantId: string;
  saleId: string;
  version: number;
  source: 'webhook' | 'poll' | 'backfill';
  payload: unknown;
  /**
   * The payload's JSON text as received, when the caller has it (the webhook): stored as is instead of
   * `payload` stringified again (one copy less per delivery; jsonb keeps the same document).
   */
  payloadText?: string;
  signatureVariant?: string | null;
  /** The receipt number the store printed, for support's search. */
  receipt?: string | null;
}

export interface SaleEventRow {
  id: number;
  merchant_id: string;
  sale_id: string;
  version: number;
  source: string;
  /** NULL once retention dropped it (a done version older than PAYLOAD_RETENTION_DAYS). */
  payload: unknown;
  status: 'received' | 'waiting' | 'done' | 'failed';
  received_at: Date;
  processed_at: Date | null;
  attempts: number;
  last_error: string | null;
}

export interface StoredEvent {
  id: number;
  duplicate: boolean;
  processed: boolean;
}

/**
 * JSON text PostgreSQL's jsonb accepts. It refuses the NUL escape (\u0000) and an unpaired surrogate
 * (\ud800 alone), which would turn one sale into an error retried forever; both become U+FFFD.
 * JSON.stringify escapes exactly those (a paired surrogate is written as the character itself), and an
 * escaped backslash before "u0000" is text, not an escape, and stays.
 */
export function jsonForPostgres(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g, '$1\\ufffd');
}

/** One escape of a JSON string (\uXXXX with its code, or any other). */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|[^])/g;
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The same as `jsonForPostgres` for JSON text as received (valid JSON: JSON.parse took it): the NUL
 * escape and each unpaired surrogate escape become \ufffd; a pair (\ud83d\ude00, as PHP escapes an
 * emoji) stays. Escapes are read left to right, so an escaped backslash before "u0000" stays text.
 */
export function jsonTextForPostgres(text: string): string {
  if (!text.includes('\\u')) return text;
  const escapes = [...text.matchAll(JSON_ESCAPE)];
  let out = '';
  let from = 0;
  for (let i = 0; i < escapes.length; i += 1) {
    const hex = escapes[i]![1];
    if (hex === undefined) continue;
    const code = parseInt(hex, 16);
    const next = escapes[i + 1];
    if (isHigh(code) && next?.[1] !== undefined && next.index === escapes[i]!.index + 6 && isLow(parseInt(next[1], 16))) {
      i += 1; // a pair: both stay
      continue;
    }
    if (code !== 0 && !isHigh(code) && !isLow(code)) continue;
    out += `${text.slice(from, escapes[i]!.index)}\\ufffd`;
    from = escapes[i]!.index + 6;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Text PostgreSQL refuses in a text column (NUL, an unpaired surrogate), each replaced with U+FFFD. */
export function textForPostgres(value: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what this removes
  return value.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * The relay's part of the group insert: the ids to queue, written in the inbox row's own commit (a row
 * stored by a concurrent transaction, neither inserted nor seen here, is relayed by that transaction).
 */
const RELAY_CTE = `, relayed AS (
       INSERT INTO sale_event_relay (event_id)
       SELECT DISTINCT coalesce(inserted_id, existing_id) FROM res WHERE coalesce(inserted_id, existing_id) IS NOT NULL AND NOT processed
       ON CONFLICT DO NOTHING
     )`;

/** Stores one sale version once: a duplicate delivery returns the existing row's id. */
export async function insertSaleEvent(db: Db, e: NewSaleEvent): Promise<StoredEvent> {
  return (await insertSaleEvents(db, [e]))[0]!;
}

/**
 * Stores many sale versions in one statement (the webhook's group commit), each once: a version
 * already stored, or twice in the batch, comes back as a duplicate with the stored row's id. With
 * `relay`, the same statement hands every stored row not yet done (a duplicate's too: its job may have
 * been lost) to the inbox relay (`sale_event_relay`, src/inbox/relay.ts), which queues it once committed.
 */
export async function insertSaleEvents(db: Db, events: NewSaleEvent[], opts: { relay?: boolean } = {}): Promise<StoredEvent[]> {
  const { rows } = await db.query<{ inserted_id: number | null; first_of_key: boolean; existing_id: number | null; processed: boolean }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
         AS t (merchant_id, sale_id, version, source, payload, signature_variant, receipt, ord)
     ), ins AS (
       INSERT INTO sale_events (merchant_id, sale_id, version, source, payload, signature_variant, receipt)
       SELECT DISTINCT ON (merchant_id, sale_id, version) merchant_id, sale_id, version, source, payload::jsonb, signature_variant, receipt
         FROM input ORDER BY merchant_id, sale_id, version, ord
       ON CONFLICT (merchant_id, sale_id, version) DO NOTHING
       RETURNING id, merchant_id, sale_id, version
     ), res AS (
       SELECT i.ord, ins.id AS inserted_id, min(i.ord) OVER (PARTITION BY i.merchant_id, i.sale_id, i.version) = i.ord AS first_of_key,
              e.id AS existing_id, e.processed_at IS NOT NULL AS processed
         FROM input i
         LEFT JOIN ins ON ins.merchant_id = i.merchant_id AND ins.sale_id = i.sale_id AND ins.version = i.version
         LEFT JOIN sale_events e ON ins.id IS NULL AND e.merchant_id = i.merchant_id AND e.sale_id = i.sale_id AND e.version = i.version
     )${opts.relay ? RELAY_CTE : ''}
     SELECT inserted_id, first_of_key, existing_id, processed FROM res ORDER BY ord`,
    [
      events.map((e) => e.merchantId),
      events.map((e) => e.saleId),
      events.map((e) => e.version),
      events.map((e) => e.source),
      events.map((e) => (e.payloadText !== undefined ? jsonTextForPostgres(e.payloadText) : jsonForPostgres(e.payload))),
      events.map((e) => e.signatureVariant ?? null),
      events.map((e) => (e.receipt ? e.receipt.replaceAll('\u0000', '').slice(0, 64) : null)),
    ],
  );
  return Promise.all(
    rows.map(async (r, i) => {
      if (r.inserted_id !== null) return { id: r.inserted_id, duplicate: !r.first_of_key, processed: false };
      if (r.existing_id !== null) return { id: r.existing_id, duplicate: true, processed: r.processed };
      // Stored by a transaction that committed after this statement's snapshot: read it now.
      const e = events[i]!;
      const existing = await db.query<{ id: number; processed_at: Date | null }>(
        `SELECT id, processed_at FROM sale_events WHERE merchant_id = $1 AND sale_id = $2 AND version = $3`,
        [e.merchantId, e.saleId, e.version],
      );
      return { id: existing.rows[0]!.id, duplicate: true, processed: existing.rows[0]!.processed_at !== null };
    }),
  );
}

/**
 * Records that a sale version could not be stored as read (PostgreSQL refused it): a failed inbox row
 * with the reason and no payload, so support sees it in the sale view and the rest of its page goes on.
 */
export async function insertUnstorableSaleEvent(db: Db, e: Omit<NewSaleEvent, 'payload'>, reason: string): Promise<StoredEvent> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO sale_events (merchant_id, sale_id, version, source, payload, status, last_error)
     VALUES ($1, $2, $3, $4, '{"unstorable": true}'::jsonb, 'failed', $5)
     ON CONFLICT (merchant_id, sale_id, version) DO UPDATE SET last_error = sale_events.last_error
     RETURNING id`,
    [e.merchantId, e.saleId, e.version, e.source, reason],
  );
  return { id: rows[0]!.id, duplicate: false, processed: false };
}

/** The newest stored version of a sale (what a re-evaluation applies again), or null before it arrives. */
export async function latestEventId(db: Db, merchantId: string, saleId: string): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(`SELECT id FROM sale_events WHERE merchant_id = $1 AND sale_id = $2 ORDER BY version DESC LIMIT 1`, [
    merchantId,
    saleId,
  ]);
  return rows[0]?.id ?? null;
}

/** The receipt number the store printed on a sale's newest stored version, or null (not received, or none). */
export async function latestReceipt(db: Db, merchantId: string, saleId: string): Promise<string | null> {
  const { rows } = await db.query<{ receipt: string | null }>(
    `SELECT receipt FROM sale_events WHERE merchant_id = $1 AND sale_id = $2 ORDER BY version DESC LIMIT 1`,
    [merchantId, saleId],
  );
  return rows[0]?.receipt ?? null;
}

export async function getSaleEvent(db: Db, id: number): Promise<SaleEventRow | null> {
  const { rows } = await db.query<SaleEventRow>(`SELECT * FROM sale_events WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Inbox rows not done after `olderThanMs`, for merchants that are neither paused nor awaiting
 * re-authorization; a failed row only once its retry time has come.
 */
export async function findUnprocessed(db: Db, olderThanMs: number, afterId: number, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT e.id FROM sale_events e JOIN merchants m ON m.id = e.merchant_id
      WHERE e.processed_at IS NULL AND (e.status <> 'failed' OR e.retry_at <= now()) AND NOT m.paused AND NOT m.needs_reauth
        AND e.received_at < now() - make_interval(secs => $1::float8 / 1000) AND e.id > $2
      ORDER BY e.id LIMIT $3`,
    [olderThanMs, afterId, limit],
  );
  return rows.map((r) => r.id);
}

/** Heal retries of one failed event: 1 h, 2 h, 4 h, … up to a day apart, then only a replay. */
export const HEAL_RETRIES = 6;

/**
 * Records a failed attempt. A permanent failure marks the row failed; one that may heal (the cause is in
 * Lightspeed's data or our credentials, which someone can fix) also gets a time to be tried again.
 */
export async function recordEventFailure(db: Db, eventId: number, error: string, outcome: 'transient' | 'permanent' | 'may-heal'): Promise<void> {
  await db.query(
    `UPDATE sale_events SET attempts = attempts + 1, last_error = $2,
            status = CASE WHEN $3 <> 'transient' THEN 'failed' ELSE status END,
            retry_at = CASE WHEN $3 = 'may-heal' THEN CASE WHEN heal_attempts < $4 THEN now() + least(interval '24 hours', interval '1 hour' * power(2, heal_attempts)) END
                            WHEN $3 = 'permanent' THEN NULL ELSE retry_at END,
            heal_attempts = heal_attempts + CASE WHEN $3 = 'may-heal' THEN 1 ELSE 0 END
      WHERE id = $1`,
    [eventId, error, outcome, HEAL_RETRIES],
  );
}

/** A merchant's failed events become due now (its credentials or API base changed: the cause may be gone). */
export async function retryFailedNow(db: Db, merchantId: string): Promise<number> {
  const { rowCount } = await db.query(`UPDATE sale_events SET retry_at = now() WHERE merchant_id = $1 AND status = 'failed' AND processed_at IS NULL`, [
    merchantId,
  ]);
  return rowCount ?? 0;
}

export interface EventFilter {
  eventIds?: number[];
  status?: 'failed' | 'received' | 'waiting';
  errorContains?: string;
  receivedFrom?: Date;
  receivedTo?: Date;
}

export interface EventSummary {
  id: number;
  saleId: string;
  version: number;
  /** The receipt number a person reads (null when Lightspeed gave none). */
  receipt: string | null;
  source: string;
  status: string;
  receivedAt: string;
  attempts: number;
  lastError: string | null;
  retryAt: string | null;
}

const eventFilterSql = `merchant_id = $1 AND processed_at IS NULL
   AND ($2::bigint[] IS NULL OR id = ANY($2)) AND ($3::text IS NULL OR status = $3)
   AND ($4::text IS NULL OR strpos(last_error, $4) > 0)
   AND ($5::timestamptz IS NULL OR received_at >= $5) AND ($6::timestamptz IS NULL OR received_at < $6)`;
const eventFilterParams = (merchantId: string, f: EventFilter) => [
  merchantId,
  f.eventIds ?? null,
  f.status ?? null,
  f.errorContains ?? null,
  f.receivedFrom ?? null,
  f.receivedTo ?? null,
];

/** A merchant's events not done (failed ones with their error), newest first. */
export async function listOpenEvents(db: Db, merchantId: string, filter: EventFilter, limit: number): Promise<EventSummary[]> {
  const { rows } = await db.query<EventSummary>(
    `SELECT id::int, sale_id AS "saleId", version::float8 AS version, receipt, source, status, received_at AS "receivedAt", attempts, last_error AS "lastError", retry_at AS "retryAt"
       FROM sale_events WHERE ${eventFilterSql} ORDER BY id DESC LIMIT ${Math.max(1, Math.min(limit, 500))}`,
    eventFilterParams(merchantId, filter),
  );
  return rows;
}

/** Replay: the matching events not done go back to received (heal counters reset); returns their ids. */
export async function reopenEvents(db: Db, merchantId: string, filter: EventFilter): Promise<Array<{ id: number; saleId: string }>> {
  const { rows } = await db.query<{ id: number; saleId: string }>(
    `UPDATE sale_events SET status = 'received', retry_at = NULL, heal_attempts = 0 WHERE ${eventFilterSql} RETURNING id::int, sale_id AS "saleId"`,
    eventFilterParams(merchantId, filter),
  );
  return rows;
}
