-- Up Migration
-- Per-merchant poll cursor and health: R-Series `updatetime`, X-Series `version.max`.
CREATE TABLE poll_state (
  merchant_id text PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
  cursor text,
  last_run_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  sales_found bigint NOT NULL DEFAULT 0,
  consecutive_failures integer NOT NULL DEFAULT 0,
  flagged boolean NOT NULL DEFAULT false
);

-- Down Migration
DROP TABLE poll_state;
