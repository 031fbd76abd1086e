import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { installKeyring, Keyring, SecretsKeyError, tokenHash, tokenHashEqual } from '../../../src/secrets/keyring.js';

const key = () => randomBytes(32).toString('base64');

describe('secrets keyring (AES-256-GCM with key ids)', () => {
  it('round-trips, and the stored form names the key and hides the plain text', () => {
    const ring = Keyring.parse(`k1:${key()}`);
    const sealed = ring.encrypt('refresh-token-plain', 'merchants.refresh_token:acme');
    expect(sealed).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('refresh-token-plain');
    expect(ring.decrypt(sealed, 'merchants.refresh_token:acme')).toBe('refresh-token-plain');
    // A fresh IV each time: the same secret does not give the same ciphertext.
    expect(ring.encrypt('refresh-token-plain', 'merchants.refresh_token:acme')).not.toBe(sealed);
  });

  it('a ciphertext moved to another row or column, or altered, does not decrypt', () => {
    const ring = Keyring.parse(`k1:${key()}`);
    const sealed = ring.encrypt('secret', 'merchants.access_token:acme');
    expect(() => ring.decrypt(sealed, 'merchants.access_token:beta')).toThrow(SecretsKeyError);
    expect(() => ring.decrypt(sealed, 'merchants.refresh_token:acme')).toThrow(SecretsKeyError);
    // Change one base64 character well inside the payload (every bit of it counts there; the last ones may be padding).
    const at = sealed.length - 10;
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(flipped).not.toBe(sealed);
    expect(() => ring.decrypt(flipped, 'merchants.access_token:acme')).toThrow(SecretsKeyError);
  });

  it('rotation: the first key encrypts, older listed keys still decrypt, an unlisted key is named in the error', () => {
    const k1 = key();
    const old = Keyring.parse(`k1:${k1}`);
    const sealed = old.encrypt('s', 'a');
    const rotated = Keyring.parse(`k2:${key()},k1:${k1}`);
    expect(rotated.currentKid).toBe('k2');
    expect(rotated.decrypt(sealed, 'a')).toBe('s');
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('s', 'a'))).toBe(false);
    expect(() => Keyring.parse(`k3:${key()}`).decrypt(sealed, 'a')).toThrow(/key k1/);
  });

  it('refuses malformed keys with a clear message', () => {
    expect(() => Keyring.parse('')).toThrow(/no key/);
    expect(() => Keyring.parse(`k1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => Keyring.parse(key())).toThrow(/kid:base64key/);
    const k = key();
    expect(() => Keyring.parse(`a:${k},a:${k}`)).toThrow(/twice/);
  });

  it('production without SECRETS_KEY refuses to start and says so; development warns and uses its default', () => {
    expect(() => installKeyring({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEY is required in production/);
    const warnings: string[] = [];
    const ring = installKeyring({ NODE_ENV: 'development' }, (m) => warnings.push(m));
    expect(ring.currentKid).toBe('dev');
    expect(warnings).toEqual([expect.stringContaining('SECRETS_KEY is not set')]);
    expect(installKeyring({ NODE_ENV: 'production', SECRETS_KEY: `p1:${key()}` }).currentKid).toBe('p1');
  });

  it('URL tokens are matched by hash', () => {
    const h = tokenHash('url-token-0123456789abcdef');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHashEqual('url-token-0123456789abcdef', h)).toBe(true);
    expect(tokenHashEqual('url-token-0123456789abcdeX', h)).toBe(false);
  });
});
