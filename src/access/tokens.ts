import { createHash, randomBytes } from 'node:crypto';
import { withTransaction, type Db, type Pool } from '../db/pool.js';
import type { Role, TokenRecord } from './role.js';
import { countTokens, findActiveTokenByHash, insertTokenRow, lockTokenBootstrap } from './store/apiTokens.js';

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
  const merchantId = input.merchantId ?? null;
  const distributorId = input.distributorId ?? null;
  const id = await insertTokenRow(db, { name: input.name, role: input.role, merchantId, distributorId, tokenHash: hashToken(token) });
  return { token, record: { id, name: input.name, role: input.role, merchantId, distributorId } };
}

export async function findToken(db: Db, token: string): Promise<TokenRecord | null> {
  return findActiveTokenByHash(db, hashToken(token));
}

/**
 * First start: with no token at all, create an admin token from ADMIN_TOKEN, or generate one.
 * Returns the generated token (to print once) or null. Safe when several processes start together:
 * an advisory lock serializes the check and the insert.
 */
export async function bootstrapAdminToken(pool: Pool, adminToken: string | undefined): Promise<string | null> {
  return withTransaction(pool, async (client) => {
    await lockTokenBootstrap(client);
    if ((await countTokens(client)) > 0) return null;
    const { token } = await insertToken(client, { name: 'bootstrap-admin', role: 'admin', token: adminToken });
    return adminToken ? null : token;
  });
}
