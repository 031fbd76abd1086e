-- Up Migration
-- Outbound events (issue 26): the outbox, the endpoints that receive it, and one delivery row per
-- (event, endpoint).
--
-- The outbox is written by triggers on the tables whose rows ARE the changes (decisions, ledger
-- entries, customer balances, claim events), so every writer of those tables, today's and tomorrow's,
-- writes its events in its own transaction without calling anything: no change without its event, no
-- event without its change. A change that writes no row (a repeated idempotency key, ON CONFLICT DO
-- NOTHING) fires no trigger, so a replay creates no event; `source` names the row that caused the event
-- and is UNIQUE besides. The payload a receiver gets (rendered messages, links, receipt) is built from
-- these facts once, by the dispatcher (src/events/dispatch.ts), and stored in `body`.

-- Per customer, the number of the last event: receivers order a customer's events by it. The row lock
-- taken by the increment is held until commit, so numbers follow commit order per customer.
CREATE TABLE event_sequences (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  customer_id text NOT NULL,
  last_seq bigint NOT NULL,
  PRIMARY KEY (merchant_id, customer_id)
);

CREATE TABLE outbound_events (
  seq_id bigserial PRIMARY KEY,
  -- The public id: webhook-id on every delivery and retry of this event.
  id text NOT NULL UNIQUE,
  -- The row that caused it (decision:<id>, entry:<id>, release:<id>, claim_event:<id>, ...).
  source text NOT NULL UNIQUE,
  -- NULL only for a test event sent to a platform-wide endpoint.
  merchant_id text REFERENCES merchants (id) ON DELETE CASCADE CHECK (merchant_id IS NOT NULL OR type = 'webhook.test'),
  type text NOT NULL,
  customer_id text,
  customer_seq bigint,
  sale_id text,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  -- The exact JSON sent (signed as is); set by the dispatcher with dispatched_at.
  body text,
  dispatched_at timestamptz
);
CREATE INDEX outbound_events_undispatched ON outbound_events (seq_id) WHERE dispatched_at IS NULL;
CREATE INDEX outbound_events_merchant ON outbound_events (merchant_id, occurred_at);
CREATE INDEX outbound_events_occurred ON outbound_events (occurred_at);

CREATE FUNCTION events_emit(p_merchant text, p_type text, p_source text, p_customer text, p_sale text, p_data jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
BEGIN
  IF p_customer IS NOT NULL THEN
    INSERT INTO event_sequences AS s (merchant_id, customer_id, last_seq) VALUES (p_merchant, p_customer, 1)
    ON CONFLICT (merchant_id, customer_id) DO UPDATE SET last_seq = s.last_seq + 1
    RETURNING last_seq INTO v_seq;
  END IF;
  INSERT INTO outbound_events (id, source, merchant_id, type, customer_id, customer_seq, sale_id, data)
  VALUES ('evt_' || replace(gen_random_uuid()::text, '-', ''),
          coalesce(p_source, p_type || ':' || p_merchant || ':' || coalesce(p_customer, '') || ':' || coalesce(v_seq::text, gen_random_uuid()::text)),
          p_merchant, p_type, p_customer, v_seq, p_sale, p_data)
  ON CONFLICT (source) DO NOTHING;
END $$;

-- sale.decided: a decision that applied (notes such as STALE_VERSION change nothing and send nothing).
CREATE FUNCTION events_on_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id, 'sale.decided', 'decision:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('decisionId', NEW.id, 'saleVersion', NEW.sale_version, 'inboxEventId', NEW.event_id, 'status', NEW.status,
      'points', NEW.points, 'rulesVersion', NEW.rules_version, 'availableAt', NEW.decision -> 'availableAt',
      'base', NEW.decision -> 'base', 'returnFor', NEW.decision -> 'returnFor', 'reasons', coalesce(NEW.decision -> 'reasons', '[]'::jsonb)));
  RETURN NULL;
END $$;
CREATE TRIGGER events_decision AFTER INSERT ON decisions FOR EACH ROW WHEN (NEW.applied) EXECUTE FUNCTION events_on_decision();

-- points.pending / points.available / points.reversed / points.adjusted: one per ledger entry written.
CREATE FUNCTION events_on_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id,
    CASE NEW.kind WHEN 'earn' THEN CASE NEW.status WHEN 'pending' THEN 'points.pending' ELSE 'points.available' END
                  WHEN 'reverse' THEN 'points.reversed' ELSE 'points.adjusted' END,
    'entry:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('entryId', NEW.id, 'kind', NEW.kind, 'points', NEW.points, 'status', NEW.status,
      'availableAt', NEW.available_at, 'decisionId', NEW.decision_id, 'note', NEW.note));
  RETURN NULL;
END $$;
CREATE TRIGGER events_entry AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION events_on_entry();

-- points.available: a pending entry released (posted).
CREATE FUNCTION events_on_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id, 'points.available', 'release:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('entryId', NEW.id, 'kind', NEW.kind, 'points', NEW.points, 'status', NEW.status,
      'availableAt', NEW.available_at, 'decisionId', NEW.decision_id, 'released', true));
  RETURN NULL;
END $$;
CREATE TRIGGER events_release AFTER UPDATE OF status ON ledger_entries FOR EACH ROW
  WHEN (OLD.status = 'pending' AND NEW.status = 'posted') EXECUTE FUNCTION events_on_release();

-- customer.balance_changed: available or pending moved (a contact-only update sends nothing).
CREATE FUNCTION events_on_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id, 'customer.balance_changed', NULL, NEW.customer_id, NULL,
    jsonb_build_object('available', NEW.available, 'pending', NEW.pending,
      'previous', CASE WHEN TG_OP = 'UPDATE' THEN jsonb_build_object('available', OLD.available, 'pending', OLD.pending)
                       ELSE jsonb_build_object('available', 0, 'pending', 0) END));
  RETURN NULL;
END $$;
CREATE TRIGGER events_balance_insert AFTER INSERT ON customers FOR EACH ROW
  WHEN (NEW.available <> 0 OR NEW.pending <> 0) EXECUTE FUNCTION events_on_balance();
CREATE TRIGGER events_balance_update AFTER UPDATE OF available, pending ON customers FOR EACH ROW
  WHEN (OLD.available IS DISTINCT FROM NEW.available OR OLD.pending IS DISTINCT FROM NEW.pending) EXECUTE FUNCTION events_on_balance();

-- frequent_buyer.claim.status_changed: every claim transition writes a claim_events row.
CREATE FUNCTION events_on_claim_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  SELECT merchant_id, offer_id, shop_id, value, denial_reason, batch_id INTO c FROM claims WHERE id = NEW.claim_id;
  IF c.merchant_id IS NULL THEN RETURN NULL; END IF;
  PERFORM events_emit(c.merchant_id, 'frequent_buyer.claim.status_changed', 'claim_event:' || NEW.id, NULL, NULL,
    jsonb_build_object('claimId', NEW.claim_id, 'from', NEW.from_status, 'to', NEW.to_status, 'offerId', c.offer_id,
      'shopId', c.shop_id, 'value', c.value, 'denialReason', CASE WHEN NEW.to_status = 'denied' THEN c.denial_reason END,
      'batchId', c.batch_id, 'at', NEW.at));
  RETURN NULL;
END $$;
CREATE TRIGGER events_claim_event AFTER INSERT ON claim_events FOR EACH ROW EXECUTE FUNCTION events_on_claim_event();

-- Where events go. merchant_id NULL: a platform-wide endpoint (every merchant's events).
CREATE TABLE webhook_endpoints (
  id bigserial PRIMARY KEY,
  merchant_id text REFERENCES merchants (id) ON DELETE CASCADE,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- Empty: every type.
  event_types text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text CHECK (disabled_reason IN ('manual', 'gone', 'failing')),
  disabled_at timestamptz,
  -- whsec_ secrets, encrypted with the secrets keyring (AAD webhook_endpoints.<column>:<id>).
  secret text NOT NULL,
  previous_secret text,
  previous_secret_until timestamptz,
  -- Since when every attempt has failed (NULL after a success): long enough disables the endpoint.
  failing_since timestamptz,
  -- One drain at a time per endpoint: a slow endpoint holds one worker slot, never more.
  drain_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id);

CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  event_seq bigint NOT NULL REFERENCES outbound_events (seq_id) ON DELETE CASCADE,
  endpoint_id bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  first_attempt_at timestamptz,
  last_attempt_at timestamptz,
  response_status integer,
  latency_ms integer,
  response_excerpt text,
  error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_seq, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (endpoint_id, id);

-- Down Migration
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TRIGGER events_claim_event ON claim_events;
DROP TRIGGER events_balance_update ON customers;
DROP TRIGGER events_balance_insert ON customers;
DROP TRIGGER events_release ON ledger_entries;
DROP TRIGGER events_entry ON ledger_entries;
DROP TRIGGER events_decision ON decisions;
DROP FUNCTION events_on_claim_event();
DROP FUNCTION events_on_balance();
DROP FUNCTION events_on_release();
DROP FUNCTION events_on_entry();
DROP FUNCTION events_on_decision();
DROP FUNCTION events_emit(text, text, text, text, text, jsonb);
DROP TABLE outbound_events;
DROP TABLE event_sequences;
