import { describe, expect, it } from 'vitest';
import { addressAllowed, checkUrl, resolveTarget, targetPolicy, TargetRefused, type Resolve } from '../../../src/events/targetPolicy.js';

const open = targetPolicy({ production: false, allowCidrs: [] });
const prod = targetPolicy({ production: true, allowCidrs: [] });
const fixed =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('where an endpoint may point', () => {
  it.each([
    '127.0.0.1',
    '::1',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    'fd00:ec2::254',
    'fe80::1',
    '0.0.0.0',
    '100.64.0.1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])('refuses %s', (address) => expect(addressAllowed(address, open)).toBe(false));

  it.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])('accepts the public %s', (address) => expect(addressAllowed(address, open)).toBe(true));

  it('an allow-list (tests, on-premise) opens exactly its ranges', () => {
    const onPrem = targetPolicy({ production: true, allowCidrs: ['10.20.0.0/16', '127.0.0.1'] });
    expect(addressAllowed('10.20.3.4', onPrem)).toBe(true);
    expect(addressAllowed('10.21.3.4', onPrem)).toBe(false);
    expect(addressAllowed('127.0.0.1', onPrem)).toBe(true);
    expect(addressAllowed('127.0.0.2', onPrem)).toBe(false);
  });

  it('production takes https only; elsewhere http too', () => {
    expect(() => checkUrl('http://example.com/hook', prod)).toThrow(TargetRefused);
    expect(checkUrl('https://example.com/hook', prod).hostname).toBe('example.com');
    expect(checkUrl('http://example.com/hook', open).protocol).toBe('http:');
  });

  it('a name resolving to loopback is refused, and so is one resolving to a public and a private address', async () => {
    await expect(resolveTarget(new URL('https://evil.example/'), open, fixed('127.0.0.1'))).rejects.toMatchObject({ code: 'URL_ADDRESS' });
    await expect(resolveTarget(new URL('https://evil.example/'), open, fixed('93.184.215.14', '10.0.0.5'))).rejects.toMatchObject({ code: 'URL_ADDRESS' });
  });

  it('resolves once: the address returned is the one checked (a rebinding resolver cannot swap it)', async () => {
    let calls = 0;
    const rebinding: Resolve = async () => [{ address: calls++ === 0 ? '93.184.215.14' : '127.0.0.1', family: 4 }];
    expect(await resolveTarget(new URL('https://rebind.example/'), open, rebinding)).toEqual({ address: '93.184.215.14', family: 4 });
    expect(calls).toBe(1);
  });
});
