import { Router } from 'express';
import type { AppContext } from '../context.js';
import { writeAudit } from '../access/audit.js';
import { withTransaction } from '../db/pool.js';
import { actorOf, requirePlatformWide, requireRole } from '../access/authenticate.js';
import { AppError, notFound } from '../http/errors.js';
import { idParam, parseOr400 } from '../http/validate.js';
import { getMerchant } from '../merchants/store/repo.js';
import { z } from 'zod';
import { hashPassword } from './password.js';
import { endStaffSessions } from './store/staffSessions.js';
import { getStaffUser, listStaffUsers, setStaffPassword } from './store/staffUsers.js';
import { disableStaffUser, distributorExists, insertStaffUser, newPasswordSchema, staffUserCreateSchema } from './users.js';

const resetSchema = z.object({ password: newPasswordSchema }).strict();

/** Platform admins create and disable the people who sign in to the console (audited with their name). */
export function staffRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/staff', requireRole('admin'), async (req, res) => {
    requirePlatformWide(actorOf(req));
    res.json(await listStaffUsers(ctx.pool, null));
  });

  router.post('/staff', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const input = parseOr400(staffUserCreateSchema, req.body);
    if (input.merchantId && !(await getMerchant(ctx.pool, input.merchantId)))
      throw new AppError(422, 'UNKNOWN_MERCHANT', `merchant '${input.merchantId}' does not exist`);
    if (input.distributorId && !(await distributorExists(ctx.pool, input.distributorId))) {
      throw new AppError(422, 'UNKNOWN_DISTRIBUTOR', `distributor ${input.distributorId} does not exist`);
    }
    const user = await withTransaction(ctx.pool, async (db) => {
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
    if (!user) throw new AppError(409, 'CONFLICT', 'a person with this email already exists');
    res.status(201).json(user);
  });

  router.post('/staff/:staffId/disable', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const id = idParam(req, 'staffId');
    const user = await withTransaction(ctx.pool, async (db) => {
      const found = await getStaffUser(db, id);
      if (!found) return null;
      await disableStaffUser(db, found.email);
      await writeAudit(db, { actor, merchantId: found.merchantId, action: 'staff.disable', entity: 'staff_user', entityId: String(id) });
      return getStaffUser(db, id);
    });
    if (!user) throw notFound(`person ${id}`);
    res.json(user);
  });

  /**
   * An admin sets a temporary password (given to the person another way): every session of that person
   * ends, and at the next sign-in they must choose their own before anything else.
   */
  router.post('/staff/:staffId/reset-password', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const id = idParam(req, 'staffId');
    const input = parseOr400(resetSchema, req.body);
    const hash = await hashPassword(input.password);
    const user = await withTransaction(ctx.pool, async (db) => {
      const found = await getStaffUser(db, id);
      if (!found) return null;
      await setStaffPassword(db, id, hash, true);
      await endStaffSessions(db, id);
      await writeAudit(db, { actor, merchantId: found.merchantId, action: 'staff.reset_password', entity: 'staff_user', entityId: String(id) });
      return getStaffUser(db, id);
    });
    if (!user) throw notFound(`person ${id}`);
    res.json(user);
  });

  return router;
}
