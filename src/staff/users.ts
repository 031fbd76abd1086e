import { z } from 'zod';
import { PASSWORD_MIN_LENGTH, staffRoleSchema, staffUserCreateSchema } from '../contract/staff.js';
import type { Db } from '../db/pool.js';
import { emailKey } from './emailKey.js';
import { hashPassword } from './password.js';

export { PASSWORD_MIN_LENGTH, staffRoleSchema, staffUserCreateSchema };

/** What a caller gives (the scopes default to none). */
export type StaffUserCreate = z.input<typeof staffUserCreateSchema>;

export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: z.infer<typeof staffRoleSchema>;
  merchantId: string | null;
  distributorId: number | null;
  disabledAt: Date | null;
  createdAt: Date;
  /** An admin reset the password: the person must choose a new one before anything else. */
  mustChangePassword: boolean;
}

const COLUMNS = `id::int, email, name, role, merchant_id AS "merchantId", distributor_id::int AS "distributorId", disabled_at AS "disabledAt", created_at AS "createdAt",
  must_change_password AS "mustChangePassword"`;

/** Creates a person; null when the email is taken. */
export async function insertStaffUser(db: Db, input: StaffUserCreate): Promise<StaffUser | null> {
  const { rows } = await db.query<StaffUser>(
    `INSERT INTO staff_users (email, email_key, name, password_hash, role, merchant_id, distributor_id) VALUES ($1, $7, $2, $3, $4, $5, $6)
     ON CONFLICT (email_key) DO NOTHING RETURNING ${COLUMNS}`,
    [
      input.email.trim(),
      input.name,
      await hashPassword(input.password),
      input.role,
      input.merchantId ?? null,
      input.distributorId ?? null,
      emailKey(input.email),
    ],
  );
  return rows[0] ?? null;
}

export async function findStaffUserForLogin(db: Db, email: string): Promise<(StaffUser & { passwordHash: string }) | null> {
  const { rows } = await db.query<StaffUser & { passwordHash: string }>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM staff_users WHERE email_key = $1`,
    [emailKey(email)],
  );
  return rows[0] ?? null;
}

export async function getStaffUser(db: Db, id: number): Promise<StaffUser | null> {
  const { rows } = await db.query<StaffUser>(`SELECT ${COLUMNS} FROM staff_users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listStaffUsers(db: Db, merchantId: string | null): Promise<StaffUser[]> {
  const { rows } = await db.query<StaffUser>(`SELECT ${COLUMNS} FROM staff_users WHERE $1::text IS NULL OR merchant_id = $1 ORDER BY id`, [merchantId]);
  return rows;
}

export async function disableStaffUser(db: Db, email: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE staff_users SET disabled_at = now() WHERE email_key = $1 AND disabled_at IS NULL`, [emailKey(email)]);
  return (rowCount ?? 0) > 0;
}

export const newPasswordSchema = z.string().min(12, 'at least 12 characters').max(200);

/** Sets a person's password hash; `mustChange` when an admin chose it (the person replaces it at sign-in). */
export async function setStaffPassword(db: Db, id: number, passwordHash: string, mustChange: boolean): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE staff_users SET password_hash = $2, must_change_password = $3 WHERE id = $1`, [id, passwordHash, mustChange]);
  return (rowCount ?? 0) > 0;
}

export async function findStaffUserByEmail(db: Db, email: string): Promise<StaffUser | null> {
  const { rows } = await db.query<StaffUser>(`SELECT ${COLUMNS} FROM staff_users WHERE email_key = $1`, [emailKey(email)]);
  return rows[0] ?? null;
}

export async function enableStaffUser(db: Db, email: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE staff_users SET disabled_at = NULL WHERE email_key = $1 AND disabled_at IS NOT NULL`, [emailKey(email)]);
  return (rowCount ?? 0) > 0;
}

/** The password hash of a person, for checking their current password before a change. */
export async function staffPasswordHash(db: Db, id: number): Promise<string | null> {
  const { rows } = await db.query<{ hash: string }>(`SELECT password_hash AS hash FROM staff_users WHERE id = $1`, [id]);
  return rows[0]?.hash ?? null;
}

/** Ends a person's console sessions (all, or all but `keepSid`: the one that changed the password). */
export async function endStaffSessions(db: Db, userId: number, keepSid: string | null = null): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM staff_sessions WHERE (sess->>'userId')::bigint = $1 AND ($2::text IS NULL OR sid <> $2)`, [userId, keepSid]);
  return rowCount ?? 0;
}

/** A distributor a distributor's person can belong to (not Temporary Holding, which is no one's desk). */
export async function distributorExists(db: Db, id: number): Promise<boolean> {
  return ((await db.query(`SELECT 1 FROM distributors WHERE id = $1 AND NOT is_holding`, [id])).rowCount ?? 0) > 0;
}
