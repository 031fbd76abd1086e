import type { NextFunction, Request, Response } from 'express';
import type { Role, TokenRecord } from './role.js';
import { findToken } from './tokens.js';
import type { Db } from '../db/pool.js';
import { forbidden, notFound, unauthorized } from '../http/errors.js';
import type { AuthThrottle } from './authThrottle.js';
import { assertSameOrigin } from '../http/originCheck.js';

export interface Actor {
  tokenId: number | null;
  name: string;
  role: Role;
  merchantId: string | null;
  distributorId: number | null;
}

export const systemActor: Actor = { tokenId: null, name: 'system', role: 'admin', merchantId: null, distributorId: null };

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

function tokenFrom(req: Request): { token: string; via: 'header' } | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice('Bearer '.length).trim(), via: 'header' };
  // A browser never holds an API token: people sign in to the console and carry its session cookie.
  return undefined;
}

const toActor = (record: TokenRecord): Actor => ({
  tokenId: record.id,
  name: record.name,
  role: record.role,
  merchantId: record.merchantId,
  distributorId: record.distributorId,
});

/**
 * Resolves the bearer token (or the console's session) to an actor; 401 when missing or unknown. Staff APIs
 * refuse distributor tokens and the distributor API refuses staff tokens (403), so a distributor never
 * reaches a route that only checks a staff role.
 */
export interface AuthDeps {
  db: Db;
  throttle: AuthThrottle;
  publicUrl?: string;
  /** The person signed in to the console by this request's session cookie, if any. */
  sessionActor?: (req: Request) => Promise<Actor | null>;
}

export function authenticate(deps: AuthDeps, audience: 'staff' | 'distributor' = 'staff') {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const given = tokenFrom(req);
    if (!given) {
      // A person in the console: the same roles and scopes as a token, and the cookie's CSRF check.
      const person = (await deps.sessionActor?.(req)) ?? null;
      if (!person) return next(unauthorized('missing bearer token or session'));
      assertSameOrigin(req, deps.publicUrl);
      // A distributor's person uses only /distributor/api, and staff only the rest, as with tokens.
      if (audience === 'distributor' && person.role !== 'distributor') return next(forbidden('this API needs a distributor token'));
      if (audience === 'staff' && person.role === 'distributor') return next(forbidden('a distributor person may use only /distributor/api'));
      req.actor = person;
      return next();
    }
    // Guessing tokens: an address with too many unknown tokens gets 429 for a while on every wrong one. A
    // right token always passes: tokens are 256 random bits, so letting it through helps no guesser, and an
    // address shared by several clients (a NAT, a proxy) must not lock out the one whose token is right.
    const record = await findToken(deps.db, given.token);
    if (!record) {
      await deps.throttle.attempt(`ip:${req.ip ?? 'unknown'}`);
      return next(unauthorized('unknown or revoked token'));
    }
    if (audience === 'staff' && record.role === 'distributor') return next(forbidden('a distributor token may use only /distributor/api'));
    if (audience === 'distributor' && record.role !== 'distributor') return next(forbidden('this API needs a distributor token'));
    req.actor = toActor(record);
    next();
  };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}

/** 403 unless the actor's role is one of `roles`. */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const actor = actorOf(req);
    if (!roles.includes(actor.role)) return next(forbidden(`role '${actor.role}' may not do this; needs ${roles.join(' or ')}`));
    next();
  };
}

/** A merchant-scoped token sees other merchants as if they did not exist. */
export function assertMerchantVisible(actor: Actor, merchantId: string): void {
  if (actor.merchantId !== null && actor.merchantId !== merchantId) throw notFound(`merchant '${merchantId}'`);
}

export function requirePlatformWide(actor: Actor): void {
  if (actor.merchantId !== null) throw forbidden('a merchant-scoped token cannot do this');
}
