import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a person has to approve the app in Lightspeed before the state sent there is refused. */
export const STATE_TTL_MS = 10 * 60 * 1000;

/** 32 random bytes, base64url (43 characters): Lightspeed asks for at least 8. */
export const newState = (): string => randomBytes(32).toString('base64url');

/** States and session ids are stored and compared as hashes: a database dump replays nothing. */
export const hashOf = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** A state arriving back has this shape; anything else is refused before the database is asked. */
export const STATE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type StateRefusal = 'STATE_EXPIRED' | 'STATE_FOREIGN' | 'STATE_SERIES';

/**
 * Whether a stored state may complete this callback: not expired, started by this same session, for this
 * series. Pure (the clock is a parameter), so each refusal is a table test.
 */
export function checkState(
  stored: { sessionHash: string; series: 'x' | 'r'; expiresAt: Date },
  callback: { sessionId: string | undefined; series: 'x' | 'r'; now: Date },
): StateRefusal | null {
  if (callback.now.getTime() >= stored.expiresAt.getTime()) return 'STATE_EXPIRED';
  if (!callback.sessionId) return 'STATE_FOREIGN';
  const given = Buffer.from(hashOf(callback.sessionId), 'hex');
  const expected = Buffer.from(stored.sessionHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'STATE_FOREIGN';
  if (stored.series !== callback.series) return 'STATE_SERIES';
  return null;
}
