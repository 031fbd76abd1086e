-- Up Migration
-- Support finds a customer by name too: the name the newest sale carried (X first_name/last_name, R
-- firstName/lastName), kept by the console beside the ledger's customers row. Prefix search on the whole
-- name and on the family name ("tremb" finds Marc Tremblay).
CREATE TABLE customer_names (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  customer_id text NOT NULL,
  name text NOT NULL,
  family_name text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, customer_id)
);
CREATE INDEX customer_names_name ON customer_names (lower(name) text_pattern_ops);
CREATE INDEX customer_names_family ON customer_names (lower(family_name) text_pattern_ops) WHERE family_name IS NOT NULL;

-- The customer page lists the customer's sales.
CREATE INDEX sale_state_customer ON sale_state (merchant_id, customer_id) WHERE customer_id IS NOT NULL;

-- Each merchant's last webhook (the merchant list and the "sale never received" page) without reading
-- all of its events.
CREATE INDEX sale_events_source_received ON sale_events (merchant_id, source, received_at);

-- Down Migration
DROP INDEX sale_events_source_received;
DROP INDEX sale_state_customer;
DROP TABLE customer_names;
