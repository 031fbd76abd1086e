import { z } from 'zod';
import { PASSWORD_MIN_LENGTH, staffRoleSchema, staffUserCreateSchema } from '../contract/staff.js';
import type { Db } from '../db/pool.js';
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
}

const COLUMNS = `id::int, email, name, role, merchant_id AS "merchantId", distributor_id::int AS "distributorId", disabled_at AS "disabledAt", created_at AS "createdAt"`;

/** Creates a person; null when the email is taken. */
export async function insertStaffUser(db: Db, input: StaffUserCreate): Promise<StaffUser | null> {
  const { rows } = await db.query<StaffUser>(
    `INSERT INTO staff_users (email, name, password_hash, role, merchant_id, distributor_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (lower(email)) DO NOTHING RETURNING ${COLUMNS}`,
    [input.email, input.name, await hashPassword(input.password), input.role, input.merchantId ?? null, input.distributorId ?? null],
  );
  return rows[0] ?? null;
}

export async function findStaffUserForLogin(db: Db, email: string): Promise<(StaffUser & { passwordHash: string }) | null> {
  const { rows } = await db.query<StaffUser & { passwordHash: string }>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM staff_users WHERE lower(email) = lower($1)`,
    [email],
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
  const { rowCount } = await db.query(`UPDATE staff_users SET disabled_at = now() WHERE lower(email) = lower($1) AND disabled_at IS NULL`, [email]);
  return (rowCount ?? 0) > 0;
}

/** A distributor a distributor's person can belong to (not Temporary Holding, which is no one's desk). */
export async function distributorExists(db: Db, id: number): Promise<boolean> {
  return ((await db.query(`SELECT 1 FROM distributors WHERE id = $1 AND NOT is_holding`, [id])).rowCount ?? 0) > 0;
}
