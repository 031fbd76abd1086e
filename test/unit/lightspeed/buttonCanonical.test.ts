import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ButtonSignatureError,
  canonicalButtonUrl,
  normalizeQueryComponent,
  phpCanonicalButtonUrl,
  verifyButtonClick,
  type JwksCache,
} from '../../../src/lightspeed/r/buttonSignature.js';

// The strings on the right are what RFC 3986 §6.2.2 normalization gives, written out by hand (not by the
// code under test), for links encoded the PHP way (`urlencode`: space as `+`, `~` as `%7E`) and others.
describe('POS button canonical URL', () => {
  it.each([
    ['a+b', 'a+b'], // PHP's space: a plus stays a plus (it is what was signed)
    ['a%20b', 'a%20b'], // rawurlencode's space
    ['a%7eb', 'a~b'], // PHP's tilde: an unreserved character is decoded
    ['a~b', 'a~b'],
    ['a%2Bb', 'a%2Bb'], // an encoded plus stays encoded
    ['%c3%a9t%C3%A9', '%C3%A9t%C3%A9'], // non-ASCII: hex in upper case
    ['été', '%C3%A9t%C3%A9'], // non-ASCII sent raw
    ['', ''], // an empty value
    ['100%', '100%25'], // a lone percent sign
    ['https%3A%2F%2Fx.test%2Fr.php%3Fa%3D1', 'https%3A%2F%2Fx.test%2Fr.php%3Fa%3D1'],
  ])('%s → %s', (raw, normalized) => {
    expect(normalizeQueryComponent(raw)).toBe(normalized);
  });

  it('sorts parameters by name, drops the signature, keeps an empty value, normalizes scheme, host and default port', () => {
    expect(
      canonicalButtonUrl(
        'HTTPS://Loyalty.Example:443',
        '/pos/lightspeed/r/m/rewards',
        'saleID=5&signature=zz&note=caf%c3%a9+au+lait&customerID=&exp=9&tilde=%7E',
      ),
    ).toBe('https://loyalty.example/pos/lightspeed/r/m/rewards?customerID=&exp=9&note=caf%C3%A9+au+lait&saleID=5&tilde=~');
  });
});

// Issue 23 item 3: Lightspeed's reference verifier (lightspeedretail/demo-menu-button-signature-php) rebuilds
// the query with PHP's parse_str + ksort + http_build_query. The right-hand strings apply that rule by hand:
// urlencode keeps A-Za-z0-9-_. only, a space is `+`, `~` is `%7E`, hex in upper case.
describe('POS button canonical URL, the PHP reference form', () => {
  const base = 'HTTPS://Loyalty.Example:443';
  const path = '/pos/lightspeed/r/m/rewards';
  it.each([
    ['note=a%20b', 'note=a+b'],
    ['note=a+b', 'note=a+b'],
    ['note=a~b', 'note=a%7Eb'],
    ['note=a%7eb', 'note=a%7Eb'],
    ['note=caf%c3%a9', 'note=caf%C3%A9'],
    ['note=%2B!*()', 'note=%2B%21%2A%28%29'],
    ['returnURL=https://x.test/r.php?a=1', 'returnURL=https%3A%2F%2Fx.test%2Fr.php%3Fa%3D1'],
    ['customerID=', 'customerID='],
    ['flag', 'flag='],
    ['a.b=1', 'a_b=1'],
    ['x=1&x=2', 'x=2'],
  ])('%s → %s', (raw, query) => {
    expect(phpCanonicalButtonUrl(base, path, `${raw}&signature=zz`)).toBe(`https://loyalty.example${path}?${query}`);
  });

  it('sorts by name and drops the signature', () => {
    expect(phpCanonicalButtonUrl(base, path, 'saleID=5&signature=zz&note=Jane%20Doe~x&customerID=&exp=9')).toBe(
      `https://loyalty.example${path}?customerID=&exp=9&note=Jane+Doe%7Ex&saleID=5`,
    );
  });
});

describe('verifyButtonClick with test vectors signed over the PHP form', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { key: async () => publicKey } as unknown as JwksCache;
  const exp = String(Math.floor(Date.now() / 1000) + 300);
  const path = '/pos/lightspeed/r/m/rewards';
  const signed = (canonical: string) => sign('RSA-SHA256', Buffer.from(canonical, 'utf8'), privateKey).toString('base64url');
  const click = (rawQuery: string) => verifyButtonClick({ publicBase: 'https://loyalty.example', path, rawQuery, jwks });

  it.each([
    ['a space sent as %20', `accountID=1&alg=RS256&exp=${exp}&kid=k&note=Jane%20Doe&saleID=7`],
    ['a space sent as +', `accountID=1&alg=RS256&exp=${exp}&kid=k&note=Jane+Doe&saleID=7`],
    ['a tilde', `accountID=1&alg=RS256&exp=${exp}&kid=k&note=a~b&saleID=7`],
  ])('accepts a genuine link whose value holds %s', async (_what, query) => {
    const signature = signed(
      `https://loyalty.example${path}?accountID=1&alg=RS256&exp=${exp}&kid=k&note=${query.includes('~') ? 'a%7Eb' : 'Jane+Doe'}&saleID=7`,
    );
    await expect(click(`${query}&signature=${signature}`)).resolves.toMatchObject({ accountId: '1', saleId: '7' });
  });

  it('still accepts a link signed over the RFC 3986 form, and refuses an altered one', async () => {
    const query = `accountID=1&alg=RS256&exp=${exp}&kid=k&note=a~b&saleID=7`;
    const signature = signed(`https://loyalty.example${path}?${query}`);
    await expect(click(`${query}&signature=${signature}`)).resolves.toMatchObject({ saleId: '7' });
    await expect(click(`${query.replace('saleID=7', 'saleID=8')}&signature=${signature}`)).rejects.toThrow(ButtonSignatureError);
  });
});
