-- Up Migration
-- sale_events is the most written table (a row per delivery, its update when applied, neither a HOT
-- update: status and processed_at are in partial indexes). sale_events_sale (merchant_id, sale_id) is
-- the prefix of the UNIQUE (merchant_id, sale_id, version) index, which serves every lookup by merchant
-- and sale (and the newest version of a sale, in order): one index entry less per insert and per update
-- (issue 29: what the batched write stores per sale).
DROP INDEX sale_events_sale;

-- Down Migration
CREATE INDEX sale_events_sale ON sale_events (merchant_id, sale_id);
