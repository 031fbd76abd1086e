/** An outbound-events endpoint as the API shows it: never a secret (it is shown once, when made or rotated). */
export interface EndpointView {
  id: number;
  merchantId: string | null;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  previousSecretValidUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One delivery of an event to an endpoint, with its last attempt. */
export interface DeliveryView {
  id: number;
  endpointId: number;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseStatus: number | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  error: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** What creating an endpoint or rotating its secret answers: the secret, this once. */
export interface EndpointWithSecret {
  endpoint: EndpointView;
  secret: string;
}
