import type { Db } from '../../db/pool.js';
import type { Keyring } from '../../secrets/keyring.js';
import { hashOf } from './state.js';

/** The owners of connect_states and lightspeed_connections: every read and write of them is here. */

export interface PendingConnect {
  series: 'x' | 'r';
  sessionHash: string;
  staffUserId: number;
  merchantId: string | null;
  merchantName: string | null;
  timezone: string | null;
  codeVerifier: string | null;
  expiresAt: Date;
}

const verifierAad = (stateHash: string) => `connect_states.code_verifier:${stateHash}`;

export async function insertPendingConnect(
  db: Db,
  ring: Keyring,
  state: string,
  p: Omit<PendingConnect, 'sessionHash'> & { sessionId: string },
): Promise<void> {
  const stateHash = hashOf(state);
  // Abandoned attempts are cleared as new ones start: the table stays the size of the last ten minutes.
  await db.query(`DELETE FROM connect_states WHERE expires_at < now() - interval '1 hour'`);
  await db.query(
    `INSERT INTO connect_states (state_hash, series, session_hash, staff_user_id, merchant_id, merchant_name, timezone, code_verifier, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      stateHash,
      p.series,
      hashOf(p.sessionId),
      p.staffUserId,
      p.merchantId,
      p.merchantName,
      p.timezone,
      p.codeVerifier === null ? null : ring.encrypt(p.codeVerifier, verifierAad(stateHash)),
      p.expiresAt,
    ],
  );
}

/** Takes a state (single use: whoever deletes the row has it, whatever happens next); null if unknown. */
export async function takePendingConnect(db: Db, ring: Keyring, state: string): Promise<PendingConnect | null> {
  const stateHash = hashOf(state);
  const { rows } = await db.query<{
    series: 'x' | 'r';
    session_hash: string;
    staff_user_id: string;
    merchant_id: string | null;
    merchant_name: string | null;
    timezone: string | null;
    code_verifier: string | null;
    expires_at: Date;
  }>(`DELETE FROM connect_states WHERE state_hash = $1 RETURNING *`, [stateHash]);
  const r = rows[0];
  if (!r) return null;
  return {
    series: r.series,
    sessionHash: r.session_hash,
    staffUserId: Number(r.staff_user_id),
    merchantId: r.merchant_id,
    merchantName: r.merchant_name,
    timezone: r.timezone,
    codeVerifier: r.code_verifier === null ? null : ring.decrypt(r.code_verifier, verifierAad(stateHash)),
    expiresAt: r.expires_at,
  };
}

export interface Connection {
  merchantId: string;
  series: 'x' | 'r';
  status: 'connected' | 'disconnected';
  webhookId: string | null;
  pausedBeforeDisconnect: boolean;
  connectedAt: Date | null;
  connectedBy: string | null;
  disconnectedAt: Date | null;
  disconnectedBy: string | null;
}

const SELECT_CONNECTION = `SELECT merchant_id AS "merchantId", series, status, webhook_id AS "webhookId", paused_before_disconnect AS "pausedBeforeDisconnect",
  connected_at AS "connectedAt", connected_by AS "connectedBy", disconnected_at AS "disconnectedAt", disconnected_by AS "disconnectedBy"
  FROM lightspeed_connections`;

export async function getConnection(db: Db, merchantId: string): Promise<Connection | null> {
  const { rows } = await db.query<Connection>(`${SELECT_CONNECTION} WHERE merchant_id = $1`, [merchantId]);
  return rows[0] ?? null;
}

export async function listConnections(db: Db, merchantIds: string[]): Promise<Connection[]> {
  const { rows } = await db.query<Connection>(`${SELECT_CONNECTION} WHERE merchant_id = ANY($1::text[])`, [merchantIds]);
  return rows;
}

export async function markConnected(db: Db, c: { merchantId: string; series: 'x' | 'r'; webhookId: string | null; by: string }): Promise<void> {
  await db.query(
    `INSERT INTO lightspeed_connections (merchant_id, series, status, webhook_id, connected_at, connected_by)
     VALUES ($1, $2, 'connected', $3, now(), $4)
     ON CONFLICT (merchant_id) DO UPDATE SET series = excluded.series, status = 'connected', webhook_id = excluded.webhook_id,
       connected_at = now(), connected_by = excluded.connected_by, updated_at = now()`,
    [c.merchantId, c.series, c.webhookId, c.by],
  );
}

export async function markDisconnected(db: Db, c: { merchantId: string; series: 'x' | 'r'; pausedBefore: boolean; by: string }): Promise<void> {
  await db.query(
    `INSERT INTO lightspeed_connections (merchant_id, series, status, paused_before_disconnect, disconnected_at, disconnected_by)
     VALUES ($1, $2, 'disconnected', $3, now(), $4)
     ON CONFLICT (merchant_id) DO UPDATE SET status = 'disconnected', webhook_id = NULL, paused_before_disconnect = excluded.paused_before_disconnect,
       disconnected_at = now(), disconnected_by = excluded.disconnected_by, updated_at = now()`,
    [c.merchantId, c.series, c.pausedBefore, c.by],
  );
}
