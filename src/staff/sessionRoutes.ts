import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { writeAudit } from '../access/audit.js';
import { AuthThrottle, authThrottleFor } from '../access/authThrottle.js';
import type { Actor } from '../access/authenticate.js';
import { AppError, unauthorized } from '../http/errors.js';
import { assertSameOrigin } from '../http/originCheck.js';
import { parseOr400 } from '../http/validate.js';
import { decoyHash, verifyPassword } from './password.js';
import { emailKey } from './emailKey.js';
import { withTransaction } from '../db/pool.js';
import { hashPassword } from './password.js';
import { SESSION_COOKIE_NAME } from './session.js';
import { endStaffSessions } from './store/staffSessions.js';
import { getStaffUser, setStaffPassword, staffPasswordHash, type StaffUser } from './store/staffUsers.js';
import { findStaffUserForLogin, newPasswordSchema } from './users.js';

export const loginSchema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) }).strict();
export const passwordChangeSchema = z.object({ currentPassword: z.string().min(1).max(200), newPassword: newPasswordSchema }).strict();

/** Wrong passwords in a row an account may have before it is throttled for a while (the sixth is refused). */
export const ACCOUNT_FAILURES = 5;

const actorOfUser = (user: StaffUser): Actor => ({
  tokenId: null,
  name: `${user.name} <${user.email}>`,
  role: user.role,
  merchantId: user.merchantId,
  distributorId: user.distributorId,
});
const publicUser = (user: StaffUser) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  merchantId: user.merchantId,
  distributorId: user.distributorId,
  mustChangePassword: user.mustChangePassword,
});

/** The signed-in person of this request's session (not disabled, within the absolute limit), or null. */
async function sessionUser(ctx: Pick<AppContext, 'pool' | 'config'>, req: Request): Promise<StaffUser | null> {
  const data = req.session;
  if (!data?.userId) return null;
  if (!data.signedInAt || Date.now() - data.signedInAt > ctx.config.SESSION_MAX_MS) {
    await new Promise<void>((resolve) => data.destroy(() => resolve()));
    return null;
  }
  const user = await getStaffUser(ctx.pool, data.userId);
  return user && !user.disabledAt ? user : null;
}

/** The person of this request's session: signed in, not disabled, within the absolute session limit. */
export function sessionActorFor(ctx: Pick<AppContext, 'pool' | 'config'>) {
  return async (req: Request): Promise<Actor | null> => {
    const user = await sessionUser(ctx, req);
    if (!user) return null;
    // A password an admin reset is known to two people: nothing but choosing a new one until then.
    if (user.mustChangePassword) throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', 'choose a new password first (POST /admin/api/session/password)');
    return actorOfUser(user);
  };
}

/**
 * Sign-in, the current person, sign-out. A failed sign-in says the same whether or not the email exists
 * (and costs the same: a decoy hash is checked), and is throttled per address and per account.
 */
export function sessionRoutes(ctx: AppContext): Router {
  const router = Router();
  const perAddress = authThrottleFor(ctx);
  const perAccount = new AuthThrottle(ctx.redis, `${ctx.config.QUEUE_PREFIX}:account`, ACCOUNT_FAILURES, 15 * 60, 15 * 60);

  router.post('/session', async (req, res) => {
    assertSameOrigin(req, ctx.config.PUBLIC_URL);
    const input = parseOr400(loginSchema, req.body);
    const address = `ip:${req.ip ?? 'unknown'}`;
    // The same key the lookup uses: every spelling of one address shares one count.
    const account = `email:${emailKey(input.email)}`;
    // Both attempts are taken before the password is checked, so a concurrent burst cannot overshoot.
    await perAddress.attempt(address);
    await perAccount.attempt(account);
    const user = await findStaffUserForLogin(ctx.pool, input.email);
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok || user.disabledAt) throw new AppError(401, 'INVALID_CREDENTIALS', 'the email or the password is not right');
    await Promise.all([perAddress.succeeded(address), perAccount.reset(account)]);
    // A new session id at sign-in (no fixation), then who and since when.
    await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
    req.session.userId = user.id;
    req.session.signedInAt = Date.now();
    await writeAudit(ctx.pool, {
      actor: actorOfUser(user),
      merchantId: user.merchantId,
      action: 'session.sign_in',
      entity: 'staff_user',
      entityId: String(user.id),
    });
    res.json({ user: publicUser(user) });
  });

  router.get('/session', async (req, res) => {
    const user = await sessionUser(ctx, req);
    if (!user) throw unauthorized('not signed in');
    res.json({ user: publicUser(user) });
  });

  /**
   * A person changes their own password: the current one is checked (and counted like a sign-in), the
   * person's other sessions end (a stolen cookie dies with the old password), this one goes on.
   */
  router.post('/session/password', async (req, res) => {
    // Who first (a bearer token is not a person: 401), then the cookie's CSRF check.
    const user = await sessionUser(ctx, req);
    if (!user) throw unauthorized('not signed in');
    assertSameOrigin(req, ctx.config.PUBLIC_URL);
    const input = parseOr400(passwordChangeSchema, req.body);
    const account = `email:${emailKey(user.email)}`;
    await perAccount.attempt(account);
    if (!(await verifyPassword(input.currentPassword, (await staffPasswordHash(ctx.pool, user.id)) ?? (await decoyHash()))))
      throw new AppError(401, 'INVALID_CREDENTIALS', 'the current password is not right');
    await perAccount.reset(account);
    const hash = await hashPassword(input.newPassword);
    await withTransaction(ctx.pool, async (db) => {
      await setStaffPassword(db, user.id, hash, false);
      await endStaffSessions(db, user.id, req.sessionID);
      await writeAudit(db, {
        actor: actorOfUser(user),
        merchantId: user.merchantId,
        action: 'staff.password_change',
        entity: 'staff_user',
        entityId: String(user.id),
      });
    });
    res.status(204).end();
  });

  router.delete('/session', async (req, res) => {
    assertSameOrigin(req, ctx.config.PUBLIC_URL);
    if (req.session) await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    // The browser forgets the cookie too (its id is dead on the server already).
    res.clearCookie(SESSION_COOKIE_NAME, { path: '/', httpOnly: true, sameSite: 'lax' });
    res.status(204).end();
  });

  return router;
}
