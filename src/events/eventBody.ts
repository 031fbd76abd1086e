import type { UndispatchedEvent } from './store.js';
import { renderReason } from './reasonMessages.js';

/** Where the console lives, for links: PUBLIC_URL + /console, or a relative path without it. */
export const consoleBase = (publicUrl: string | undefined) => `${(publicUrl ?? '').replace(/\/$/, '')}/console`;

const enc = encodeURIComponent;

/**
 * The exact JSON a receiver gets for one outbox row (schemas in ./catalogue.ts). Pure: built from the
 * facts the trigger stored and what the dispatcher looked up, once; retries send the same bytes.
 * Never holds a secret or a database error: only the facts listed here.
 */
export function eventBody(e: UndispatchedEvent, base: string): string {
  const d = e.data;
  const merchant = { id: e.merchant_id, name: e.merchant_name };
  const customer = e.customer_id
    ? { lightspeedId: e.customer_id, consoleUrl: `${base}/merchants/${enc(e.merchant_id)}/customers/${enc(e.customer_id)}` }
    : null;
  const sale = e.sale_id ? { id: e.sale_id, receipt: e.receipt, consoleUrl: `${base}/merchants/${enc(e.merchant_id)}/sales/${enc(e.sale_id)}` } : null;
  const sequence = e.customer_seq;
  // Every type's fields written out after the common four (merchant, customer, sale, sequence), never
  // spread: object spreads made building a body cost three times as much, and the dispatcher builds one
  // per event in the pipeline's wake (same keys, same order, same bytes).
  let data: Record<string, unknown>;
  switch (e.type) {
    case 'sale.decided': {
      const reasons = (d.reasons as Array<{ code: string; data?: Record<string, unknown> }>).map((r) => ({
        code: r.code,
        data: r.data ?? {},
        messages: { en: renderReason('en', r.code, r.data ?? {}), fr: renderReason('fr', r.code, r.data ?? {}) },
      }));
      data = {
        merchant,
        customer,
        sale,
        sequence,
        saleVersion: d.saleVersion,
        outcome: d.status,
        points: d.points,
        availableAt: d.availableAt ?? null,
        eligible: { minor: d.base ?? 0, currency: null },
        rulesVersion: d.rulesVersion,
        reasons,
      };
      break;
    }
    case 'points.pending':
    case 'points.available':
    case 'points.reversed':
    case 'points.adjusted':
      data = {
        merchant,
        customer,
        sale,
        sequence,
        entryId: d.entryId,
        kind: d.kind,
        points: d.points,
        status: d.status,
        availableAt: d.availableAt,
        note: d.note ?? null,
      };
      if (e.type === 'points.available') data.released = d.released === true;
      break;
    case 'customer.balance_changed':
      data = { merchant, customer, sale, sequence, available: d.available, pending: d.pending, previous: d.previous };
      break;
    case 'frequent_buyer.claim.status_changed':
      data = {
        merchant,
        customer,
        sale,
        sequence,
        claimId: d.claimId,
        from: d.from ?? null,
        to: d.to,
        offerId: d.offerId,
        shopId: d.shopId,
        value: { minor: d.value, currency: null },
        denialReason: d.denialReason ?? null,
        consoleUrl: `${base}/merchants/${enc(e.merchant_id)}/frequent-buyer/claims`,
      };
      break;
    case 'alert.opened':
    case 'alert.resolved':
      data = {
        merchant,
        customer,
        sale,
        sequence,
        alertId: d.alertId,
        kind: d.kind,
        subject: d.subject,
        evidence: d.evidence,
        openedAt: d.openedAt,
        resolvedAt: d.resolvedAt ?? null,
        resolvedBy: d.resolvedBy ?? null,
        consoleUrl: `${base}/merchants/${enc(e.merchant_id)}/insights`,
      };
      break;
    default:
      data = { merchant, customer, sale, sequence, ...d };
  }
  return JSON.stringify({ id: e.id, type: e.type, timestamp: e.occurred_at.toISOString(), data });
}

/** The body of a test event. */
export function testBody(id: string, merchant: { id: string; name: string } | null): string {
  return JSON.stringify({
    id,
    type: 'webhook.test',
    timestamp: new Date().toISOString(),
    data: { merchant, message: 'A test event: if you can verify this signature, the endpoint is set up.' },
  });
}
