import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { withTransaction, type Db, type Pool } from '../db/pool.js';

/** Staff roles see merchants; a `distributor` token sees only its distributor's claims (/distributor/api). */
export const roleSchema = z.enum(['admin', 'support', 'viewer', 'distributor']);
export type Role = z.infer<typeof roleSchema>;

export interface TokenRecord {
  id: number;
  name: string;
  role: Role;
  merchantId: string | null;
  distributorId: number | null;
}

/** Tokens carry 256 random bits, so a fast hash is enough: no dictionary can reach them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return `lw_${randomBytes(32).toString('base64url')}`;
}

export async function insertToken(
  db: Db,
  input: { name: string; role: Role; merchantId?: string | null; distributorId?: number | null; token?: string },
): Promise<{ token: string; record: TokenRecord }> {
  const token = input.token ?? generateToken();
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO api_tokens (name, role, merchant_id, distributor_id, token_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.name, input.role, input.merchantId ?? null, input.distributorId ?? null, hashToken(token)],
  );
  return {
    token,
    record: { id: rows[0]!.id, name: input.name, role: input.role, merchantId: input.merchantId ?? null, distributorId: input.distributorId ?? null },
  };
}

export async function findToken(db: Db, token: string): Promise<TokenRecord | null> {
  const { rows } = await db.query<{ id: number; name: string; role: Role; merchant_id: string | null; distributor_id: number | null }>(
    `SELECT id, name, role, merchant_id, distributor_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, role: row.role, merchantId: row.merchant_id, distributorId: row.distributor_id } : null;
}

export async function countTokens(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_tokens`);
  return rows[0]!.n;
}

/**
 * First start: with no token at all, create an admin token from ADMIN_TOKEN, or generate one.
 * Returns the generated token (to print once) or null. Safe when several processes start together:
 * an advisory lock serializes the check and the insert.
 */
export async function bootstrapAdminToken(pool: Pool, adminToken: string | undefined): Promise<string | null> {
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('loyalty:bootstrap-admin-token'))`);
    if ((await countTokens(client)) > 0) return null;
    const { token } = await insertToken(client, { name: 'bootstrap-admin', role: 'admin', token: adminToken });
    return adminToken ? null : token;
  });
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
