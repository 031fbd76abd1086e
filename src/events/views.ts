import type { DeliveryView, EndpointView, EndpointWithSecret } from '../contract/outboundEvents.js';
import type { DeliveryRow, EndpointRow } from './store.js';

export type { DeliveryView, EndpointView, EndpointWithSecret };

/** An endpoint as the API shows it: never a secret (it is shown once, when made or rotated). */
export function endpointView(e: EndpointRow): EndpointView {
  return {
    id: e.id,
    merchantId: e.merchant_id,
    url: e.url,
    description: e.description,
    eventTypes: e.event_types,
    enabled: e.enabled,
    disabledReason: e.disabled_reason,
    disabledAt: e.disabled_at?.toISOString() ?? null,
    failingSince: e.failing_since?.toISOString() ?? null,
    previousSecretValidUntil: e.previous_secret_until && e.previous_secret_until > new Date() ? e.previous_secret_until.toISOString() : null,
    createdAt: e.created_at.toISOString(),
    updatedAt: e.updated_at.toISOString(),
  };
}

export function deliveryView(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    endpointId: d.endpoint_id,
    eventId: d.event_id,
    eventType: d.event_type,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
    lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
    responseStatus: d.response_status,
    latencyMs: d.latency_ms,
    responseExcerpt: d.response_excerpt,
    error: d.error,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    createdAt: d.created_at.toISOString(),
  };
}
