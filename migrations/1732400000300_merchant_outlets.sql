-- Up Migration
-- The outlets and registers of each X-Series merchant, read from Lightspeed (/api/2.0/outlets, /registers):
-- a signed webhook delivery names its outlet (or register), and one for another merchant's outlet is
-- refused (every store of the app shares the signing secret, so the signature alone binds no store).
CREATE TABLE merchant_outlets (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('outlet', 'register')),
  ref_id text NOT NULL,
  PRIMARY KEY (merchant_id, kind, ref_id)
);

-- Down Migration
DROP TABLE merchant_outlets;
