-- Up Migration
-- Lightspeed reference data cached per merchant: categories, customer types/groups, X products.
CREATE TABLE lightspeed_refs (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('category', 'segment', 'product')),
  ref_id text NOT NULL,
  data jsonb NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, kind, ref_id)
);

-- When a whole list (all categories, all segments) was last loaded.
CREATE TABLE lightspeed_ref_loads (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  kind text NOT NULL,
  loaded_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, kind)
);

-- Down Migration
DROP TABLE lightspeed_ref_loads;
DROP TABLE lightspeed_refs;
