-- Up Migration
-- A Lightspeed account belongs to one merchant of ours: a second merchant claiming the same store would
-- receive (and be able to read) the first one's sales.
CREATE UNIQUE INDEX merchants_x_domain_prefix_unique ON merchants (lower(domain_prefix)) WHERE series = 'x';
CREATE UNIQUE INDEX merchants_r_account_id_unique ON merchants (account_id) WHERE series = 'r';

-- Down Migration
DROP INDEX merchants_r_account_id_unique;
DROP INDEX merchants_x_domain_prefix_unique;
