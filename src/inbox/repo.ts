import type { Db } from '../db/pool.js';

export interface NewSaleEvent {
  merchantId: string;
  saleId: string;
  version: number;
  source: 'webhook' | 'poll' | 'backfill';
  payload: unknown;
  signatureVariant?: string | null;
}

export interface SaleEventRow {
  id: number;
  merchant_id: string;
  sale_id: string;
  version: number;
  source: string;
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

/** Stores one sale version once: a duplicate delivery returns the existing row's id. */
export async function insertSaleEvent(db: Db, e: NewSaleEvent): Promise<StoredEvent> {
  return (await insertSaleEvents(db, [e]))[0]!;
}

/**
 * Stores many sale versions in one statement (the webhook's group commit), each once: a version
 * already stored, or twice in the batch, comes back as a duplicate with the stored row's id.
 */
export async function insertSaleEvents(db: Db, events: NewSaleEvent[]): Promise<StoredEvent[]> {
  const { rows } = await db.query<{ inserted_id: number | null; first_of_key: boolean; existing_id: number | null; processed: boolean }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
         AS t (merchant_id, sale_id, version, source, payload, signature_variant, ord)
     ), ins AS (
       INSERT INTO sale_events (merchant_id, sale_id, version, source, payload, signature_variant)
       SELECT DISTINCT ON (merchant_id, sale_id, version) merchant_id, sale_id, version, source, payload::jsonb, signature_variant
         FROM input ORDER BY merchant_id, sale_id, version, ord
       ON CONFLICT (merchant_id, sale_id, version) DO NOTHING
       RETURNING id, merchant_id, sale_id, version
     )
     SELECT ins.id AS inserted_id, min(i.ord) OVER (PARTITION BY i.merchant_id, i.sale_id, i.version) = i.ord AS first_of_key,
            e.id AS existing_id, e.processed_at IS NOT NULL AS processed
       FROM input i
       LEFT JOIN ins ON ins.merchant_id = i.merchant_id AND ins.sale_id = i.sale_id AND ins.version = i.version
       LEFT JOIN sale_events e ON ins.id IS NULL AND e.merchant_id = i.merchant_id AND e.sale_id = i.sale_id AND e.version = i.version
      ORDER BY i.ord`,
    [
      events.map((e) => e.merchantId),
      events.map((e) => e.saleId),
      events.map((e) => e.version),
      events.map((e) => e.source),
      events.map((e) => jsonForPostgres(e.payload)),
      events.map((e) => e.signatureVariant ?? null),
    ],
  );
  return Promise.all(
    rows.map(async (r, i) => {
      if (r.inserted_id !== null) return { id: r.inserted_id, duplicate: !r.first_of_key, processed: false };
      if (r.existing_id !== null) return { id: r.existing_id, duplicate: true, processed: r.processed };
      // Stored by a transaction that committed after this statement's snapshot: read it now.
      const e = events[i]!;
      const existing = await db.query<{ id: number; processed_at: Date | null }>(`SELECT id, processed_at FROM sale_events WHERE merchant_id = $1 AND sale_id = $2 AND version = $3`, [
        e.merchantId,
        e.saleId,
        e.version,
      ]);
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

export async function getSaleEvent(db: Db, id: number): Promise<SaleEventRow | null> {
  const { rows } = await db.query<SaleEventRow>(`SELECT * FROM sale_events WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Inbox rows not done after `olderThanMs`, for merchants that are neither paused nor awaiting re-authorization. */
export async function findUnprocessed(db: Db, olderThanMs: number, afterId: number, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT e.id FROM sale_events e JOIN merchants m ON m.id = e.merchant_id
      WHERE e.processed_at IS NULL AND e.status <> 'failed' AND NOT m.paused AND NOT m.needs_reauth
        AND e.received_at < now() - make_interval(secs => $1::float8 / 1000) AND e.id > $2
      ORDER BY e.id LIMIT $3`,
    [olderThanMs, afterId, limit],
  );
  return rows.map((r) => r.id);
}
