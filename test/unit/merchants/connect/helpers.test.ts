import { describe, expect, it } from 'vitest';
import { parseDomainPrefix } from '../../../../src/merchants/connect/domainPrefix.js';
import { codeChallengeS256, isCodeVerifier, newCodeVerifier } from '../../../../src/merchants/connect/pkce.js';
import { checkState, hashOf, newState, STATE_SHAPE, STATE_TTL_MS } from '../../../../src/merchants/connect/state.js';

describe('domain_prefix from the callback', () => {
  it.each([
    ['acme', 'acme'],
    ['Acme-Pets', 'acme-pets'],
    ['store42', 'store42'],
    ['a', 'a'],
    ['x'.repeat(63), 'x'.repeat(63)],
  ])('accepts %j as %j', (raw, expected) => expect(parseDomainPrefix(raw)).toBe(expected));

  it.each([
    ['evil.com/'],
    ['evil.com'],
    ['a..b'],
    ['127.0.0.1'],
    ['[::1]'],
    ['::1'],
    ['acme.retail.lightspeed.app'],
    ['acme:8080'],
    ['user@acme'],
    ['acme/'],
    ['acme%2e'],
    ['acme?x'],
    ['acme#'],
    ['-acme'],
    ['acme-'],
    [' acme'],
    ['acme\n'],
    ['ac me'],
    ['ácme'],
    [''],
    ['x'.repeat(64)],
    [undefined],
    [['acme']],
  ])('refuses %j', (raw) => expect(parseDomainPrefix(raw)).toBeNull());
});

describe('PKCE (S256)', () => {
  it('matches RFC 7636 appendix B', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('makes a fresh, valid verifier each time, and a challenge without padding', () => {
    const a = newCodeVerifier();
    const b = newCodeVerifier();
    expect(a).not.toBe(b);
    expect(isCodeVerifier(a)).toBe(true);
    expect(codeChallengeS256(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  it.each([['short'], ['x'.repeat(129)], ['has space'.padEnd(50, 'x')], ['a+b/c='.padEnd(50, 'x')]])('refuses %j as a verifier', (v) =>
    expect(isCodeVerifier(v)).toBe(false),
  );
});

describe('OAuth state', () => {
  const now = new Date('2026-12-02T08:00:00Z');
  const session = 'session-id-of-the-person';
  const stored = { sessionHash: hashOf(session), series: 'x' as const, expiresAt: new Date(now.getTime() + STATE_TTL_MS) };

  it('is random and of the shape the callback checks', () => {
    const a = newState();
    expect(a).toMatch(STATE_SHAPE);
    expect(newState()).not.toBe(a);
    expect(STATE_TTL_MS).toBe(600_000);
  });

  it.each([
    ['the same session, in time', { sessionId: session, series: 'x' as const, now }, null],
    ['one millisecond before expiry', { sessionId: session, series: 'x' as const, now: new Date(stored.expiresAt.getTime() - 1) }, null],
    ['at expiry', { sessionId: session, series: 'x' as const, now: stored.expiresAt }, 'STATE_EXPIRED'],
    ['another session', { sessionId: 'someone-else', series: 'x' as const, now }, 'STATE_FOREIGN'],
    ['no session', { sessionId: undefined, series: 'x' as const, now }, 'STATE_FOREIGN'],
    ['the other series', { sessionId: session, series: 'r' as const, now }, 'STATE_SERIES'],
  ])('%s: %j', (_name, callback, expected) => expect(checkState(stored, callback)).toBe(expected));
});
