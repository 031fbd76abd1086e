import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { RequestHandler } from 'express';
import { ConfigError, type Config } from '../config.js';
import type { Pool } from '../db/pool.js';

declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** When the person signed in: the absolute limit counts from here, however active they are. */
    signedInAt: number;
  }
}

export const SESSION_COOKIE_NAME = 'loyalty_session';

/** Outside production a fixed secret keeps sessions across restarts of a developer's service. */
const DEVELOPMENT_SECRET = 'development-only-session-secret-change-me';

/**
 * Server-side sessions for people in the console (express-session, stored in PostgreSQL by
 * connect-pg-simple): the cookie holds only a signed id. HttpOnly, SameSite=Lax, Secure when the request
 * came over HTTPS (trust proxy decides), rolling idle expiry; the absolute limit is checked on use.
 */
export function sessionMiddleware(pool: Pool, config: Config): RequestHandler {
  if (config.NODE_ENV === 'production' && !config.SESSION_SECRET)
    throw new ConfigError('Invalid setting SESSION_SECRET: it is required in production (a long random string that signs the console cookies)');
  const Store = connectPgSimple(session);
  return session({
    name: SESSION_COOKIE_NAME,
    secret: config.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    store: new Store({ pool, tableName: 'staff_sessions', createTableIfMissing: false }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.SESSION_IDLE_MS, path: '/' },
  });
}
