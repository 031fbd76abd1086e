-- Up Migration
-- Names of cashiers, registers and outlets (issue 25's attach rate by cashier, register and outlet), cached
-- like the other reference data (src/lightspeed/refs/cache.ts): only the id and a display name are kept
-- (never an email or anything else of a staff record).
ALTER TABLE lightspeed_refs DROP CONSTRAINT lightspeed_refs_kind_check;
ALTER TABLE lightspeed_refs ADD CONSTRAINT lightspeed_refs_kind_check CHECK (kind IN ('category', 'segment', 'product', 'cashier', 'register', 'outlet'));

-- Down Migration
DELETE FROM lightspeed_refs WHERE kind IN ('cashier', 'register', 'outlet');
DELETE FROM lightspeed_ref_loads WHERE kind IN ('cashier', 'register', 'outlet');
ALTER TABLE lightspeed_refs DROP CONSTRAINT lightspeed_refs_kind_check;
ALTER TABLE lightspeed_refs ADD CONSTRAINT lightspeed_refs_kind_check CHECK (kind IN ('category', 'segment', 'product'));
