import type { z } from 'zod';
import type { staffRoleSchema } from '../../contract/staff.js';
import type { Db } from '../../db/pool.js';

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

/** A person as stored: the email's folded key (src/staff/emailKey.ts) and the password's hash, never the password. */
export interface StaffUserRow {
  email: string;
  emailKey: string;
  name: string;
  passwordHash: string;
  role: StaffUser['role'];
  merchantId: string | null;
  distributorId: number | null;
}

/** Creates a person; null when the email is taken. */
export async function insertStaffUserRow(db: Db, row: StaffUserRow): Promise<StaffUser | null> {
  const { rows } = await db.query<StaffUser>(
    `INSERT INTO staff_users (email, email_key, name, password_hash, role, merchant_id, distributor_id) VALUES ($1, $7, $2, $3, $4, $5, $6)
     ON CONFLICT (email_key) DO NOTHING RETURNING ${COLUMNS}`,
    [row.email, row.name, row.passwordHash, row.role, row.merchantId, row.distributorId, row.emailKey],
  );
  return rows[0] ?? null;
}

/** The person with this email key, with their password hash (for signing in). */
export async function staffUserWithHashByKey(db: Db, emailKey: string): Promise<(StaffUser & { passwordHash: string }) | null> {
  const { rows } = await db.query<StaffUser & { passwordHash: string }>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM staff_users WHERE email_key = $1`,
    [emailKey],
  );
  return rows[0] ?? null;
}

export async function staffUserByKey(db: Db, emailKey: string): Promise<StaffUser | null> {
  const { rows } = await db.query<StaffUser>(`SELECT ${COLUMNS} FROM staff_users WHERE email_key = $1`, [emailKey]);
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

/** Disables (true) or enables (false) the person with this email key; false when there was nothing to change. */
export async function setStaffUserDisabled(db: Db, emailKey: string, disabled: boolean): Promise<boolean> {
  const { rowCount } = await db.query(
    disabled
      ? `UPDATE staff_users SET disabled_at = now() WHERE email_key = $1 AND disabled_at IS NULL`
      : `UPDATE staff_users SET disabled_at = NULL WHERE email_key = $1 AND disabled_at IS NOT NULL`,
    [emailKey],
  );
  return (rowCount ?? 0) > 0;
}

/** Sets a person's password hash; `mustChange` when an admin chose it (the person replaces it at sign-in). */
export async function setStaffPassword(db: Db, id: number, passwordHash: string, mustChange: boolean): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE staff_users SET password_hash = $2, must_change_password = $3 WHERE id = $1`, [id, passwordHash, mustChange]);
  return (rowCount ?? 0) > 0;
}

/** The password hash of a person, for checking their current password before a change. */
export async function staffPasswordHash(db: Db, id: number): Promise<string | null> {
  const { rows } = await db.query<{ hash: string }>(`SELECT password_hash AS hash FROM staff_users WHERE id = $1`, [id]);
  return rows[0]?.hash ?? null;
}
