-- Up Migration
-- Rules per merchant: every change is a new version; the highest version is current.
CREATE TABLE rules_versions (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  document jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, version)
);

CREATE TABLE customers (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  customer_id text NOT NULL,
  email text,
  mobile text,
  available bigint NOT NULL DEFAULT 0,
  pending bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, customer_id)
);
CREATE INDEX customers_email ON customers (merchant_id, lower(email));
CREATE INDEX customers_mobile ON customers (merchant_id, mobile);

-- Every evaluated sale version, with its reasons: what support reads. `applied` is false for notes
-- (STALE_VERSION, MERCHANT_PAUSED) that change no points.
CREATE TABLE decisions (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  sale_id text NOT NULL,
  sale_version bigint NOT NULL,
  event_id bigint REFERENCES sale_events (id) ON DELETE SET NULL,
  rules_version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('credited', 'pending', 'none', 'reversed')),
  points integer NOT NULL,
  applied boolean NOT NULL,
  customer_id text,
  decision jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_sale ON decisions (merchant_id, sale_id, id);

-- What the ledger holds per sale: the version applied and the sale's net points. (Comment updated
-- after the fact: this row was once locked FOR UPDATE while a version was applied; the write is now
-- optimistic, applied only if this row is still what the worker read. The SQL below is unchanged.)
CREATE TABLE sale_state (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  sale_id text NOT NULL,
  applied_version bigint,
  points integer NOT NULL DEFAULT 0,
  customer_id text,
  original_sale_id text,
  decision_id bigint REFERENCES decisions (id),
  PRIMARY KEY (merchant_id, sale_id)
);
CREATE INDEX sale_state_original ON sale_state (merchant_id, original_sale_id) WHERE original_sale_id IS NOT NULL;

-- Which sale a line belongs to: R-Series refund lines name the original line, not the original sale.
CREATE TABLE sale_lines (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  line_id text NOT NULL,
  sale_id text NOT NULL,
  PRIMARY KEY (merchant_id, line_id)
);

-- Append-only points. A pending entry becomes posted when released; its points never change.
CREATE TABLE ledger_entries (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  customer_id text NOT NULL,
  sale_id text,
  kind text NOT NULL CHECK (kind IN ('earn', 'reverse', 'adjust')),
  points integer NOT NULL CHECK (points <> 0),
  status text NOT NULL CHECK (status IN ('pending', 'posted')),
  available_at timestamptz NOT NULL,
  decision_id bigint REFERENCES decisions (id),
  idempotency_key text NOT NULL,
  note text,
  actor text,
  created_at timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz,
  UNIQUE (merchant_id, idempotency_key)
);
CREATE INDEX ledger_pending_due ON ledger_entries (merchant_id, available_at) WHERE status = 'pending';
CREATE INDEX ledger_customer ON ledger_entries (merchant_id, customer_id, id);
CREATE INDEX ledger_sale ON ledger_entries (merchant_id, sale_id) WHERE sale_id IS NOT NULL;

-- The rewards button (POS or API) pressed for a sale, before or after the sale arrives.
CREATE TABLE rewards_requests (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  sale_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('pos', 'api')),
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, sale_id)
);

-- Down Migration
DROP TABLE rewards_requests;
DROP TABLE ledger_entries;
DROP TABLE sale_lines;
DROP TABLE sale_state;
DROP TABLE decisions;
DROP TABLE customers;
DROP TABLE rules_versions;
