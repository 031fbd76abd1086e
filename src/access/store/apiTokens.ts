import type { Db } from '../../db/pool.js';
import type { Role, TokenRecord } from '../role.js';

/** Stores a token by its hash (the token itself is never stored); returns its id. */
export async function insertTokenRow(
  db: Db,
  row: { name: string; role: Role; merchantId: string | null; distributorId: number | null; tokenHash: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO api_tokens (name, role, merchant_id, distributor_id, token_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [row.name, row.role, row.merchantId, row.distributorId, row.tokenHash],
  );
  return rows[0]!.id;
}

/** The active (not revoked) token with this hash. */
export async function findActiveTokenByHash(db: Db, tokenHash: string): Promise<TokenRecord | null> {
  const { rows } = await db.query<{ id: number; name: string; role: Role; merchant_id: string | null; distributor_id: number | null }>(
    `SELECT id, name, role, merchant_id, distributor_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
    [tokenHash],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, role: row.role, merchantId: row.merchant_id, distributorId: row.distributor_id } : null;
}

export async function countTokens(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens`);
  return rows[0]!.n;
}

/** Serializes the first start's check and insert across processes (until the transaction ends). */
export async function lockTokenBootstrap(db: Db): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('loyalty:bootstrap-admin-token'))`);
}

export interface TokenListing extends TokenRecord {
  createdAt: Date;
  revokedAt: Date | null;
}

/** Every token without its secret (only its hash is stored), newest first. */
export async function listTokens(db: Db): Promise<TokenListing[]> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    role: Role;
    merchant_id: string | null;
    distributor_id: string | null;
    created_at: Date;
    revoked_at: Date | null;
  }>(`SELECT id, name, role, merchant_id, distributor_id, created_at, revoked_at FROM api_tokens ORDER BY id DESC`);
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    role: r.role,
    merchantId: r.merchant_id,
    distributorId: r.distributor_id === null ? null : Number(r.distributor_id),
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes a token by id; false when there is no such token or it was already revoked. */
export async function revokeToken(db: Db, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return (rowCount ?? 0) > 0;
}
