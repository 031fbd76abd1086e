import type { Db } from '../../db/pool.js';
import { keyring, tokenHash } from '../../secrets/keyring.js';
import { openMerchant, sealMerchant } from './merchantSecrets.js';
import type { Merchant, MerchantCreate, MerchantPatch } from './schema.js';

interface MerchantRow {
  id: string;
  name: string;
  series: 'x' | 'r';
  domain_prefix: string | null;
  account_id: string | null;
  timezone: string;
  webhook_secret: string | null;
  allow_unsigned: boolean;
  url_token: string | null;
  url_token_hash: string | null;
  signed_needs_url_token: boolean;
  access_token: string | null;
  refresh_token: string | null;
  token_expires_at: Date | null;
  api_base_url: string | null;
  registers: number;
  paused: boolean;
  needs_reauth: boolean;
  needs_reauth_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

// Secrets are sealed on the way in and opened on the way out: nothing else reads these columns.
const fromRow = (r: MerchantRow): Merchant => ({
  id: r.id,
  name: r.name,
  series: r.series,
  domainPrefix: r.domain_prefix,
  accountId: r.account_id,
  timezone: r.timezone,
  webhookSecret: openMerchant(keyring(), 'webhook_secret', r.id, r.webhook_secret),
  allowUnsigned: r.allow_unsigned,
  urlToken: openMerchant(keyring(), 'url_token', r.id, r.url_token),
  urlTokenHash: r.url_token_hash,
  signedNeedsUrlToken: r.signed_needs_url_token,
  accessToken: openMerchant(keyring(), 'access_token', r.id, r.access_token),
  refreshToken: openMerchant(keyring(), 'refresh_token', r.id, r.refresh_token),
  tokenExpiresAt: r.token_expires_at,
  apiBaseUrl: r.api_base_url,
  registers: r.registers,
  paused: r.paused,
  needsReauth: r.needs_reauth,
  needsReauthReason: r.needs_reauth_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getMerchant(db: Db, id: string): Promise<Merchant | null> {
  const { rows } = await db.query<MerchantRow>(`SELECT * FROM merchants WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function listMerchants(db: Db): Promise<Merchant[]> {
  const { rows } = await db.query<MerchantRow>(`SELECT * FROM merchants ORDER BY id`);
  return rows.map(fromRow);
}

/** Merchants that should be polled (not paused): what the poll schedulers in Redis are counted against. */
export async function activeMerchantCount(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>({
    name: 'merchants.activeCount',
    text: `SELECT count(*)::int AS n FROM merchants WHERE NOT paused`,
    values: [],
  });
  return rows[0]!.n;
}

/** What a poll scheduler depends on, of every merchant or of those changed since `since` (no secrets read). */
export async function merchantSchedules(db: Db, since?: Date): Promise<Array<Pick<Merchant, 'id' | 'series' | 'paused'>>> {
  const { rows } = await db.query<Pick<Merchant, 'id' | 'series' | 'paused'>>(
    `SELECT id, series, paused FROM merchants WHERE $1::timestamptz IS NULL OR updated_at >= $1 ORDER BY id`,
    [since ?? null],
  );
  return rows;
}

/** Inserts; returns null when the id is taken. */
export async function insertMerchant(db: Db, m: MerchantCreate): Promise<Merchant | null> {
  const ring = keyring();
  const { rows } = await db.query<MerchantRow>(
    `INSERT INTO merchants (id, name, series, domain_prefix, account_id, timezone, webhook_secret, allow_unsigned,
       url_token, access_token, refresh_token, token_expires_at, api_base_url, registers, paused, url_token_hash, signed_needs_url_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (id) DO NOTHING RETURNING *`,
    [
      m.id,
      m.name,
      m.series,
      m.domainPrefix ?? null,
      m.accountId ?? null,
      m.timezone,
      sealMerchant(ring, 'webhook_secret', m.id, m.webhookSecret),
      m.allowUnsigned ?? false,
      sealMerchant(ring, 'url_token', m.id, m.urlToken),
      sealMerchant(ring, 'access_token', m.id, m.credentials?.accessToken),
      sealMerchant(ring, 'refresh_token', m.id, m.credentials?.refreshToken),
      m.credentials?.expiresAt ?? null,
      m.apiBaseUrl ?? null,
      m.registers ?? 1,
      m.paused ?? false,
      m.urlToken ? tokenHash(m.urlToken) : null,
      m.signedNeedsUrlToken ?? false,
    ],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

const patchColumns: Record<string, string> = {
  name: 'name',
  domainPrefix: 'domain_prefix',
  accountId: 'account_id',
  timezone: 'timezone',
  allowUnsigned: 'allow_unsigned',
  signedNeedsUrlToken: 'signed_needs_url_token',
  apiBaseUrl: 'api_base_url',
  registers: 'registers',
  paused: 'paused',
};

export async function updateMerchant(db: Db, id: string, patch: MerchantPatch): Promise<Merchant | null> {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  for (const [key, column] of Object.entries(patchColumns)) {
    const value = (patch as Record<string, unknown>)[key];
    if (value !== undefined) set(column, value);
  }
  const ring = keyring();
  if (patch.webhookSecret !== undefined) set('webhook_secret', sealMerchant(ring, 'webhook_secret', id, patch.webhookSecret));
  if (patch.urlToken !== undefined) {
    set('url_token', sealMerchant(ring, 'url_token', id, patch.urlToken));
    set('url_token_hash', tokenHash(patch.urlToken));
  }
  if (patch.credentials) {
    set('access_token', sealMerchant(ring, 'access_token', id, patch.credentials.accessToken));
    set('refresh_token', sealMerchant(ring, 'refresh_token', id, patch.credentials.refreshToken));
    set('token_expires_at', patch.credentials.expiresAt ?? null);
    // New credentials are the re-authorization.
    set('needs_reauth', false);
    set('needs_reauth_reason', null);
  }
  values.push(id);
  const { rows } = await db.query<MerchantRow>(
    `UPDATE merchants SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $${values.length} RETURNING *`,
    values,
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Disconnecting a store: its tokens are forgotten (the ledger, decisions and poll cursor stay). */
export async function forgetCredentials(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE merchants SET access_token = NULL, refresh_token = NULL, token_expires_at = NULL, updated_at = now() WHERE id = $1`, [id]);
}

/** A refreshed access token (and refresh token, when Lightspeed sent a new one), sealed here like every merchant secret. */
export async function saveRefreshedTokens(
  db: Db,
  id: string,
  tokens: { accessToken: string; refreshToken: string | null | undefined; expiresAt: Date | null },
): Promise<void> {
  await db.query(
    `UPDATE merchants SET access_token = $2, refresh_token = COALESCE($3, refresh_token), token_expires_at = $4, updated_at = now() WHERE id = $1`,
    [id, sealMerchant(keyring(), 'access_token', id, tokens.accessToken), sealMerchant(keyring(), 'refresh_token', id, tokens.refreshToken), tokens.expiresAt],
  );
}

/** Lightspeed refused the app's tokens: the merchant must connect again (the console says why). */
export async function markNeedsReauth(db: Db, id: string, reason: string): Promise<void> {
  await db.query(`UPDATE merchants SET needs_reauth = true, needs_reauth_reason = $2, updated_at = now() WHERE id = $1`, [id, reason]);
}

/** Another merchant already connected to this Lightspeed store (X: its domain prefix, R: its account id), if any. */
export async function merchantOfStore(db: Db, store: { series: 'x' | 'r'; key: string | undefined; exceptId: string }): Promise<string | null> {
  const column = store.series === 'x' ? 'domain_prefix' : 'account_id';
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM merchants WHERE ${column} = $1 AND id <> $2`, [store.key ?? null, store.exceptId]);
  return rows[0]?.id ?? null;
}
