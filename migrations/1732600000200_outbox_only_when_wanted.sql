-- Up Migration
-- The outbox writes only what an endpoint could receive (issue 26, cost under issue 29). Before, every
-- credited sale wrote its three outbox rows and bumped the customer's sequence counter even for a
-- merchant with no endpoint: the rows were then dispatched to nobody and kept for the retention period.
--
-- What an endpoint receives, as Stripe does: the changes made after it exists (and is enabled, and is
-- subscribed to the event's type). Each trigger asks at the moment of the change, in the change's own
-- transaction and statement, whether one enabled endpoint of the merchant (or a platform-wide one) wants
-- that type; only then does it take a sequence number and write the row. So, for an endpoint that exists:
--   - no change without its event (the question and the write are one trigger call, same transaction);
--   - never two events for one change (one row per change whatever the number of endpoints; `source` is
--     still UNIQUE, so a replay of the change writes none);
--   - the per-customer sequence stays monotonic: it is only ever incremented (a change nobody wanted
--     takes no number, so receivers see gaps, as they already did for types they do not subscribe to).
-- A change whose trigger ran before the endpoint's creation committed is not the endpoint's (a sale in
-- flight at that instant); an event already in the outbox and not yet dispatched when an endpoint is
-- created still reaches it (the dispatcher fans out to the endpoints enabled at dispatch). Replay (since
-- a time) covers the stored events only: what no endpoint wanted was never stored. The same holds for a
-- disabled endpoint: the changes made while it was the only one and disabled are not stored.

-- Does an enabled endpoint of the merchant, or a platform-wide one, want this type? (Empty: every type.)
CREATE FUNCTION events_wanted(p_merchant text, p_type text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM webhook_endpoints w
                  WHERE w.enabled AND (w.merchant_id = p_merchant OR w.merchant_id IS NULL)
                    AND (cardinality(w.event_types) = 0 OR p_type = ANY (w.event_types)));
END $$;

-- The question above is asked for every ledger row: a small index of the enabled endpoints only.
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (merchant_id) WHERE enabled;

-- The writer, unconditional: the triggers call it once they know the event is wanted.
ALTER FUNCTION events_emit(text, text, text, text, text, jsonb) RENAME TO events_write;

-- The entry point for callers outside the triggers (insights' alert transitions, the benchmark): the
-- same question, then the write.
CREATE FUNCTION events_emit(p_merchant text, p_type text, p_source text, p_customer text, p_sale text, p_data jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF events_wanted(p_merchant, p_type) THEN
    PERFORM events_write(p_merchant, p_type, p_source, p_customer, p_sale, p_data);
  END IF;
END $$;

-- The triggers ask before building the payload (jsonb), so a merchant without endpoints pays one index
-- probe per row and nothing else.
CREATE OR REPLACE FUNCTION events_on_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT events_wanted(NEW.merchant_id, 'sale.decided') THEN RETURN NULL; END IF;
  PERFORM events_write(NEW.merchant_id, 'sale.decided', 'decision:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('decisionId', NEW.id, 'saleVersion', NEW.sale_version, 'inboxEventId', NEW.event_id, 'status', NEW.status,
      'points', NEW.points, 'rulesVersion', NEW.rules_version, 'availableAt', NEW.decision -> 'availableAt',
      'base', NEW.decision -> 'base', 'returnFor', NEW.decision -> 'returnFor', 'reasons', coalesce(NEW.decision -> 'reasons', '[]'::jsonb)));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION events_on_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_type text := CASE NEW.kind WHEN 'earn' THEN CASE NEW.status WHEN 'pending' THEN 'points.pending' ELSE 'points.available' END
                               WHEN 'reverse' THEN 'points.reversed' ELSE 'points.adjusted' END;
BEGIN
  IF NOT events_wanted(NEW.merchant_id, v_type) THEN RETURN NULL; END IF;
  PERFORM events_write(NEW.merchant_id, v_type, 'entry:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('entryId', NEW.id, 'kind', NEW.kind, 'points', NEW.points, 'status', NEW.status,
      'availableAt', NEW.available_at, 'decisionId', NEW.decision_id, 'note', NEW.note));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION events_on_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT events_wanted(NEW.merchant_id, 'points.available') THEN RETURN NULL; END IF;
  PERFORM events_write(NEW.merchant_id, 'points.available', 'release:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('entryId', NEW.id, 'kind', NEW.kind, 'points', NEW.points, 'status', NEW.status,
      'availableAt', NEW.available_at, 'decisionId', NEW.decision_id, 'released', true));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION events_on_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT events_wanted(NEW.merchant_id, 'customer.balance_changed') THEN RETURN NULL; END IF;
  PERFORM events_write(NEW.merchant_id, 'customer.balance_changed', NULL, NEW.customer_id, NULL,
    jsonb_build_object('available', NEW.available, 'pending', NEW.pending,
      'previous', CASE WHEN TG_OP = 'UPDATE' THEN jsonb_build_object('available', OLD.available, 'pending', OLD.pending)
                       ELSE jsonb_build_object('available', 0, 'pending', 0) END));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION events_on_claim_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  SELECT merchant_id, offer_id, shop_id, value, denial_reason, batch_id INTO c FROM claims WHERE id = NEW.claim_id;
  IF c.merchant_id IS NULL OR NOT events_wanted(c.merchant_id, 'frequent_buyer.claim.status_changed') THEN RETURN NULL; END IF;
  PERFORM events_write(c.merchant_id, 'frequent_buyer.claim.status_changed', 'claim_event:' || NEW.id, NULL, NULL,
    jsonb_build_object('claimId', NEW.claim_id, 'from', NEW.from_status, 'to', NEW.to_status, 'offerId', c.offer_id,
      'shopId', c.shop_id, 'value', c.value, 'denialReason', CASE WHEN NEW.to_status = 'denied' THEN c.denial_reason END,
      'batchId', c.batch_id, 'at', NEW.at));
  RETURN NULL;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION events_on_claim_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE OR REPLACE FUNCTION events_on_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id, 'customer.balance_changed', NULL, NEW.customer_id, NULL,
    jsonb_build_object('available', NEW.available, 'pending', NEW.pending,
      'previous', CASE WHEN TG_OP = 'UPDATE' THEN jsonb_build_object('available', OLD.available, 'pending', OLD.pending)
                       ELSE jsonb_build_object('available', 0, 'pending', 0) END));
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION events_on_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id, 'points.available', 'release:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('entryId', NEW.id, 'kind', NEW.kind, 'points', NEW.points, 'status', NEW.status,
      'availableAt', NEW.available_at, 'decisionId', NEW.decision_id, 'released', true));
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION events_on_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id,
    CASE NEW.kind WHEN 'earn' THEN CASE NEW.status WHEN 'pending' THEN 'points.pending' ELSE 'points.available' END
                  WHEN 'reverse' THEN 'points.reversed' ELSE 'points.adjusted' END,
    'entry:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('entryId', NEW.id, 'kind', NEW.kind, 'points', NEW.points, 'status', NEW.status,
      'availableAt', NEW.available_at, 'decisionId', NEW.decision_id, 'note', NEW.note));
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION events_on_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM events_emit(NEW.merchant_id, 'sale.decided', 'decision:' || NEW.id, NEW.customer_id, NEW.sale_id,
    jsonb_build_object('decisionId', NEW.id, 'saleVersion', NEW.sale_version, 'inboxEventId', NEW.event_id, 'status', NEW.status,
      'points', NEW.points, 'rulesVersion', NEW.rules_version, 'availableAt', NEW.decision -> 'availableAt',
      'base', NEW.decision -> 'base', 'returnFor', NEW.decision -> 'returnFor', 'reasons', coalesce(NEW.decision -> 'reasons', '[]'::jsonb)));
  RETURN NULL;
END $$;
DROP FUNCTION events_emit(text, text, text, text, text, jsonb);
ALTER FUNCTION events_write(text, text, text, text, text, jsonb) RENAME TO events_emit;
DROP INDEX webhook_endpoints_enabled;
DROP FUNCTION events_wanted(text, text);
