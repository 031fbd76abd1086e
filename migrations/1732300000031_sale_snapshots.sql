-- Up Migration
-- The newest canonical sale of each sale id (as the rules engine sees it): the console's rules preview
-- re-evaluates these with draft rules, without asking Lightspeed again.
CREATE TABLE sale_snapshots (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  sale_id text NOT NULL,
  version bigint NOT NULL,
  completed_at timestamptz,
  sale jsonb NOT NULL,
  PRIMARY KEY (merchant_id, sale_id)
);
CREATE INDEX sale_snapshots_completed ON sale_snapshots (merchant_id, completed_at);

-- Down Migration
DROP TABLE sale_snapshots;
