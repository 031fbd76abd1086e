import { describe, expect, it } from 'vitest';
import { canonicalButtonUrl, normalizeQueryComponent } from '../../../src/lightspeed/r/buttonSignature.js';

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
