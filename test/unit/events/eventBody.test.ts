import { describe, expect, it } from 'vitest';
import { eventBody } from '../../../src/events/eventBody.js';
import { renderReason } from '../../../src/events/reasonMessages.js';
import type { UndispatchedEvent } from '../../../src/events/store.js';

// The bytes a receiver verifies: built once per event by the dispatcher, field by field (no spreads, for
// cost), so the order and the rendered reasons are pinned here.
describe('event bodies', () => {
  it('renders reasons with the event’s wording of a segment, unless the reason’s data names it', () => {
    expect(renderReason('en', 'CUSTOMER_SEGMENT_EXCLUDED', { segmentName: 'Staff' })).toBe(
      'The customer type or group “Staff” is excluded by the rules; the balance is kept.',
    );
    expect(renderReason('fr', 'CUSTOMER_SEGMENT_EXCLUDED', { segmentName: 'Staff', segmentWord: 'groupe' })).toBe(
      'Le groupe «\u202fStaff\u202f» est exclu par les règles\u202f; le solde est conservé.',
    );
    expect(renderReason('en', 'CREDITED', { points: null })).toBe(' points credited.');
    expect(renderReason('en', 'NOT_A_CODE', {})).toBe('NOT_A_CODE');
  });

  it('a points event: the common four fields, then its own, released last, in this order', () => {
    const e: UndispatchedEvent = {
      seq_id: 1,
      id: 'evt_1',
      merchant_id: 'm&1',
      merchant_name: 'Acme',
      type: 'points.available',
      customer_id: 'c/1',
      customer_seq: 3,
      sale_id: 's1',
      receipt: '42',
      data: { entryId: 7, kind: 'earn', points: 49, status: 'posted', availableAt: null, decisionId: 2, released: true },
      occurred_at: new Date(0),
    };
    expect(eventBody(e, '/console')).toBe(
      '{"id":"evt_1","type":"points.available","timestamp":"1970-01-01T00:00:00.000Z","data":{"merchant":{"id":"m&1","name":"Acme"},' +
        '"customer":{"lightspeedId":"c/1","consoleUrl":"/console/merchants/m%261/customers/c%2F1"},' +
        '"sale":{"id":"s1","receipt":"42","consoleUrl":"/console/merchants/m%261/sales/s1"},"sequence":3,' +
        '"entryId":7,"kind":"earn","points":49,"status":"posted","availableAt":null,"note":null,"released":true}}',
    );
    expect(JSON.parse(eventBody({ ...e, type: 'points.pending' }, '/console')).data).not.toHaveProperty('released');
  });
});
