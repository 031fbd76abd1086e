import type { Actor } from '../access/authenticate.js';
import { writeAudit } from '../access/audit.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { endStaffSessions } from './store/staffSessions.js';
import { getStaffUser, setStaffPassword, type StaffUser } from './store/staffUsers.js';
import { disableStaffUser, insertStaffUser, type StaffUserCreate } from './users.js';

// The changes to the people who sign in to the console, each one transaction with its audit line.

/** Creates a person; null when the email is taken (nothing audited then). */
export async function createStaffUser(pool: Pool, actor: Actor, input: StaffUserCreate): Promise<StaffUser | null> {
  return withTransaction(pool, async (db) => {
    const created = await insertStaffUser(db, input);
    if (created)
      await writeAudit(db, {
        actor,
        merchantId: created.merchantId,
        action: 'staff.create',
        entity: 'staff_user',
        entityId: String(created.id),
        after: created,
      });
    return created;
  });
}

/** Disables a person; the person as they are now, or null when there is no such person. */
export async function disableStaff(pool: Pool, actor: Actor, id: number): Promise<StaffUser | null> {
  return withTransaction(pool, async (db) => {
    const found = await getStaffUser(db, id);
    if (!found) return null;
    await disableStaffUser(db, found.email);
    await writeAudit(db, { actor, merchantId: found.merchantId, action: 'staff.disable', entity: 'staff_user', entityId: String(id) });
    return getStaffUser(db, id);
  });
}

/**
 * An admin's temporary password (already hashed): every session of that person ends, and they must choose
 * their own at the next sign-in. The person as they are now, or null when there is no such person.
 */
export async function resetStaffPassword(pool: Pool, actor: Actor, id: number, passwordHash: string): Promise<StaffUser | null> {
  return withTransaction(pool, async (db) => {
    const found = await getStaffUser(db, id);
    if (!found) return null;
    await setStaffPassword(db, id, passwordHash, true);
    await endStaffSessions(db, id);
    await writeAudit(db, { actor, merchantId: found.merchantId, action: 'staff.reset_password', entity: 'staff_user', entityId: String(id) });
    return getStaffUser(db, id);
  });
}

/** A person's own new password (already hashed): their other sessions end, the one that changed it stays. */
export async function changeOwnPassword(pool: Pool, actor: Actor, user: StaffUser, passwordHash: string, keepSid: string): Promise<void> {
  await withTransaction(pool, async (db) => {
    await setStaffPassword(db, user.id, passwordHash, false);
    await endStaffSessions(db, user.id, keepSid);
    await writeAudit(db, { actor, merchantId: user.merchantId, action: 'staff.password_change', entity: 'staff_user', entityId: String(user.id) });
  });
}
