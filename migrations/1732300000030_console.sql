-- Up Migration
-- The console: people sign in with an email and a password (hashed with scrypt), with a role and a scope
-- like API tokens; their sessions live server-side (express-session's PostgreSQL store).
CREATE TABLE staff_users (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'support', 'viewer')),
  merchant_id text REFERENCES merchants (id) ON DELETE CASCADE,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

CREATE TABLE staff_sessions (
  sid varchar NOT NULL PRIMARY KEY,
  sess json NOT NULL,
  expire timestamp(6) NOT NULL
);
CREATE INDEX staff_sessions_expire ON staff_sessions (expire);

-- Support looks a sale up by the receipt number the store printed (X invoice_number, R ticketNumber).
ALTER TABLE sale_events ADD COLUMN receipt text;
CREATE INDEX sale_events_receipt ON sale_events (merchant_id, receipt) WHERE receipt IS NOT NULL;
CREATE INDEX sale_events_receipt_any ON sale_events (receipt) WHERE receipt IS NOT NULL;
CREATE INDEX sale_events_sale_any ON sale_events (sale_id);
CREATE INDEX customers_email_any ON customers (lower(email));
CREATE INDEX customers_mobile_any ON customers (mobile);

-- Down Migration
DROP INDEX customers_mobile_any;
DROP INDEX customers_email_any;
DROP INDEX sale_events_sale_any;
DROP INDEX sale_events_receipt_any;
DROP INDEX sale_events_receipt;
ALTER TABLE sale_events DROP COLUMN receipt;
DROP TABLE staff_sessions;
DROP TABLE staff_users;
