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

/** Stores one sale version once: a duplicate delivery returns the existing row's id. */
export async function insertSaleEvent(db: Db, e: NewSaleEvent): Promise<{ id: number; duplicate: boolean; processed: boolean }> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO sale_events (merchant_id, sale_id, version, source, payload, signature_variant)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (merchant_id, sale_id, version) DO NOTHING RETURNING id`,
    [e.merchantId, e.saleId, e.version, e.source, JSON.stringify(e.payload), e.signatureVariant ?? null],
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].id, duplicate: false, processed: false };
  const existing = await db.query<{ id: number; processed_at: Date | null }>(
    `SELECT id, processed_at FROM sale_events WHERE merchant_id = $1 AND sale_id = $2 AND version = $3`,
    [e.merchantId, e.saleId, e.version],
  );
  const row = existing.rows[0]!;
  return { id: row.id, duplicate: true, processed: row.processed_at !== null };
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
