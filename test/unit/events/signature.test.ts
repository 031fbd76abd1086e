import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, RETRY_DELAYS_MS } from '../../../src/events/retrySchedule.js';
import { newSecret, signatureHeader, signingKeys, signWithKeys } from '../../../src/events/signature.js';

describe('Standard Webhooks signatures', () => {
  it('what we sign, the official library verifies; with two secrets, either verifies', () => {
    const [a, b] = [newSecret(), newSecret()];
    const body = JSON.stringify({ id: 'evt_1', type: 'webhook.test', data: {} });
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(ts), 'webhook-signature': signatureHeader([a, b], 'evt_1', ts, body) };
    expect(new Webhook(a).verify(body, headers)).toMatchObject({ id: 'evt_1' });
    expect(new Webhook(b).verify(body, headers)).toMatchObject({ id: 'evt_1' });
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    // The same bytes the library signs.
    expect(signatureHeader([a], 'evt_1', ts, body)).toBe(new Webhook(a).sign('evt_1', new Date(ts * 1000), body));
  });

  it('keys decoded once for a round sign each event as the official library does', () => {
    const [a, b] = [newSecret(), newSecret()];
    const keys = signingKeys([a, b]);
    for (const id of ['evt_1', 'evt_2']) {
      const body = JSON.stringify({ id, type: 'points.adjusted', data: { n: id } });
      const header = signWithKeys(keys, id, 1_700_000_000, body);
      const [first, second] = header.split(' ');
      expect(first).toBe(new Webhook(a).sign(id, new Date(1_700_000_000 * 1000), body));
      expect(second).toBe(new Webhook(b).sign(id, new Date(1_700_000_000 * 1000), body));
    }
  });

  it('secrets are whsec_ + base64 of 32 random bytes', () => {
    const s = newSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
  });
});

describe('retry schedule', () => {
  it('spans about three days, with ±20 % jitter, then gives up', () => {
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(70);
    expect(total / 3_600_000).toBeLessThan(80);
    expect(retryDelayMs(1, 0)).toBe(4_000);
    expect(retryDelayMs(1, 0.999999)).toBe(6_000);
    expect(retryDelayMs(RETRY_DELAYS_MS.length + 1, 0.5)).toBeNull();
  });
});
