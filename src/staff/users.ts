import { z } from 'zod';
import { PASSWORD_MIN_LENGTH, staffRoleSchema, staffUserCreateSchema } from '../contract/staff.js';
import type { Db } from '../db/pool.js';
import { getDistributor } from '../frequentBuyer/store/distributors.js';
import { emailKey } from './emailKey.js';
import { hashPassword } from './password.js';
import { insertStaffUserRow, setStaffUserDisabled, staffUserByKey, staffUserWithHashByKey, type StaffUser } from './store/staffUsers.js';

export { PASSWORD_MIN_LENGTH, staffRoleSchema, staffUserCreateSchema };

/** What a caller gives (the scopes default to none). */
export type StaffUserCreate = z.input<typeof staffUserCreateSchema>;

/** Creates a person (the password hashed, the email folded for lookups); null when the email is taken. */
export async function insertStaffUser(db: Db, input: StaffUserCreate): Promise<StaffUser | null> {
  return insertStaffUserRow(db, {
    email: input.email.trim(),
    emailKey: emailKey(input.email),
    name: input.name,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    merchantId: input.merchantId ?? null,
    distributorId: input.distributorId ?? null,
  });
}

export async function findStaffUserForLogin(db: Db, email: string): Promise<(StaffUser & { passwordHash: string }) | null> {
  return staffUserWithHashByKey(db, emailKey(email));
}

export async function findStaffUserByEmail(db: Db, email: string): Promise<StaffUser | null> {
  return staffUserByKey(db, emailKey(email));
}

export async function disableStaffUser(db: Db, email: string): Promise<boolean> {
  return setStaffUserDisabled(db, emailKey(email), true);
}

export async function enableStaffUser(db: Db, email: string): Promise<boolean> {
  return setStaffUserDisabled(db, emailKey(email), false);
}

export const newPasswordSchema = z.string().min(12, 'at least 12 characters').max(200);

/** A distributor a distributor's person can belong to (not Temporary Holding, which is no one's desk). */
export async function distributorExists(db: Db, id: number): Promise<boolean> {
  const distributor = await getDistributor(db, id);
  return distributor !== null && !distributor.isHolding;
}
