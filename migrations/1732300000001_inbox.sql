-- Up Migration
-- The inbox: every sale version we learn of (webhook, poll, button), stored before it is queued.
CREATE TABLE sale_events (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  sale_id text NOT NULL,
  version bigint NOT NULL,
  source text NOT NULL CHECK (source IN ('webhook', 'poll', 'backfill')),
  payload jsonb NOT NULL,
  signature_variant text,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- received → done | failed (permanent, with last_error); waiting = merchant paused
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'waiting', 'done', 'failed')),
  processed_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  UNIQUE (merchant_id, sale_id, version)
);
CREATE INDEX sale_events_pending ON sale_events (received_at) WHERE processed_at IS NULL;
CREATE INDEX sale_events_sale ON sale_events (merchant_id, sale_id);

-- Down Migration
DROP TABLE sale_events;
