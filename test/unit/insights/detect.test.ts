import { describe, expect, it } from 'vitest';
import { detect, type MerchantFigures } from '../../../src/insights/alerts/detect.js';
import { defaultThresholds } from '../../../src/insights/alerts/thresholds.js';

const NOW = new Date('2026-11-21T17:00:00Z');
const quiet = (over: Partial<MerchantFigures> = {}): MerchantFigures => ({
  series: 'x',
  day: '2026-11-20',
  days: [],
  attach: [],
  intake: { webhook: 0, poll: 0 },
  ops: { needsReauth: false, reauthReason: null, polls: false, lastPollSuccessAt: null, failedEvents: 0 },
  rulesChanges: [],
  disabledEndpoints: [],
  ...over,
});

describe('detect: an outbound events endpoint turned off for failing', () => {
  it('one condition per disabled endpoint, subject endpoint:<id>, with the host but never the URL (it may carry a token)', () => {
    const conditions = detect(
      quiet({
        disabledEndpoints: [
          {
            id: 7,
            url: 'https://hooks.acme.example/in?token=s3cret',
            description: 'CRM',
            disabledAt: '2026-11-21T10:00:00.000Z',
            failingSince: '2026-11-16T10:00:00.000Z',
          },
          { id: 9, url: 'not a url', description: '', disabledAt: '2026-11-21T11:00:00.000Z', failingSince: null },
        ],
      }),
      defaultThresholds,
      NOW,
    );
    expect(conditions).toEqual([
      {
        kind: 'ENDPOINT_DISABLED',
        subject: 'endpoint:7',
        evidence: {
          endpointId: 7,
          host: 'hooks.acme.example',
          description: 'CRM',
          disabledAt: '2026-11-21T10:00:00.000Z',
          failingSince: '2026-11-16T10:00:00.000Z',
        },
      },
      {
        kind: 'ENDPOINT_DISABLED',
        subject: 'endpoint:9',
        evidence: { endpointId: 9, host: '', description: '', disabledAt: '2026-11-21T11:00:00.000Z', failingSince: null },
      },
    ]);
    expect(JSON.stringify(conditions)).not.toContain('s3cret');
  });

  it('nothing once no endpoint is off for failing (re-enabled or deleted): the detector resolves the alert', () => {
    expect(detect(quiet(), defaultThresholds, NOW)).toEqual([]);
  });
});

describe('detect: a register or cashier rarely attaching a customer', () => {
  it('carries the name Lightspeed gave it, or null', () => {
    const conditions = detect(
      quiet({
        attach: [
          { dimension: 'register', id: 'reg-2', name: 'Front counter', sales: 40, withCustomer: 4 },
          { dimension: 'cashier', id: 'bob', name: null, sales: 40, withCustomer: 4 },
        ],
      }),
      defaultThresholds,
      NOW,
    );
    expect(conditions.map((c) => [c.subject, c.evidence.name])).toEqual([
      ['register:reg-2', 'Front counter'],
      ['cashier:bob', null],
    ]);
  });
});
