-- Up Migration
-- Frequent-buyer, second part: punch cards from the sale stream, redemptions, credit claims to
-- distributors with their history and batches, distributor-scoped tokens, and requests for
-- distributors that are not listed yet.

ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD COLUMN distributor_id bigint REFERENCES distributors (id);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'support', 'viewer', 'distributor'));
-- A distributor token belongs to exactly one distributor and to no merchant; staff tokens to no distributor.
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_distributor_scope CHECK ((role = 'distributor') = (distributor_id IS NOT NULL) AND (role <> 'distributor' OR merchant_id IS NULL));

CREATE TABLE frequent_buyer_settings (
  merchant_id text PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
  -- R `discountID`, or X discount / promotion name, that rings up the free item at zero.
  redemption_discount text
);

-- The last sale version the frequent-buyer step applied: the gate that makes it exactly-once.
CREATE TABLE fb_sale_state (
  merchant_id text NOT NULL,
  sale_id text NOT NULL,
  version bigint NOT NULL,
  outcome jsonb,
  PRIMARY KEY (merchant_id, sale_id)
);

-- Qualifying units per sale line and offer: negative on a return, zero once the sale is voided.
CREATE TABLE punches (
  merchant_id text NOT NULL,
  sale_id text NOT NULL,
  line_id text NOT NULL,
  offer_id bigint NOT NULL REFERENCES offers (id),
  customer_id text NOT NULL,
  shop_id text,
  units integer NOT NULL,
  unit_price bigint NOT NULL,
  sold_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, sale_id, line_id, offer_id)
);
CREATE INDEX punches_by_card ON punches (merchant_id, customer_id, offer_id);

CREATE TABLE redemptions (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  -- `sale:<saleId>:<lineId>` or `api:<idempotency key>`: a redemption is recorded once.
  source_key text NOT NULL,
  sale_id text,
  line_id text,
  customer_id text,
  offer_id bigint NOT NULL REFERENCES offers (id),
  shop_id text,
  status text NOT NULL CHECK (status IN ('accepted', 'rejected', 'voided')),
  reason_code text,
  reason text,
  punches_used integer NOT NULL DEFAULT 0,
  free_item_price bigint NOT NULL,
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (merchant_id, source_key)
);
CREATE INDEX redemptions_by_card ON redemptions (merchant_id, customer_id, offer_id) WHERE status = 'accepted';
CREATE INDEX redemptions_by_sale ON redemptions (merchant_id, sale_id);

CREATE TABLE claim_batches (
  id bigserial PRIMARY KEY,
  distributor_id bigint NOT NULL REFERENCES distributors (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  credit_reference text,
  credited_at timestamptz
);

CREATE TABLE claims (
  id bigserial PRIMARY KEY,
  redemption_id bigint NOT NULL UNIQUE REFERENCES redemptions (id),
  merchant_id text NOT NULL,
  offer_id bigint NOT NULL REFERENCES offers (id),
  shop_id text NOT NULL,
  distributor_id bigint NOT NULL REFERENCES distributors (id),
  account_number text,
  value bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('held', 'new', 'batched', 'credited', 'denied', 'resubmitted', 'cancelled')),
  denial_reason text CHECK (denial_reason IN ('incorrect_account_number', 'missing_account_number', 'not_a_customer', 'item_not_in_program', 'insufficient_purchases', 'other')),
  denial_note text,
  batch_id bigint REFERENCES claim_batches (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claims_by_distributor ON claims (distributor_id, status);
CREATE INDEX claims_by_merchant ON claims (merchant_id, status);
CREATE INDEX claims_by_enrollment ON claims (merchant_id, offer_id, shop_id) WHERE status IN ('held', 'new', 'resubmitted');

CREATE TABLE claim_events (
  id bigserial PRIMARY KEY,
  claim_id bigint NOT NULL REFERENCES claims (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  note text,
  details jsonb
);
CREATE INDEX claim_events_by_claim ON claim_events (claim_id, id);

CREATE TABLE distributor_requests (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  offer_id bigint REFERENCES offers (id),
  distributor_name text NOT NULL,
  contact text NOT NULL,
  note text,
  requested_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE distributor_requests;
DROP TABLE claim_events;
DROP TABLE claims;
DROP TABLE claim_batches;
DROP TABLE redemptions;
DROP TABLE punches;
DROP TABLE fb_sale_state;
DROP TABLE frequent_buyer_settings;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_distributor_scope;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens DROP COLUMN distributor_id;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'support', 'viewer'));
