-- Up Migration
-- Coarser rollups for the Insights page's top-level figures and the alerts detector (issue 25): the fine
-- rollup (day × outlet × register × cashier × cause) holds up to a few hundred rows per store day, so a
-- year of it is too many rows to sum per request. These hold a few dozen rows per day; the upkeep
-- (src/insights/store/upkeep.ts) moves them in the same statement as the fine rollup, and the rebuild
-- recomputes them with it. The fine rollup stays for drill-downs and the rebuild comparison.

-- Per merchant, local day and cause: the earning rate and the why-not chart.
CREATE TABLE insight_days (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day date NOT NULL,
  cause text NOT NULL,
  sales integer NOT NULL,
  with_customer integer NOT NULL,
  points bigint NOT NULL,
  pending bigint NOT NULL,
  reversed bigint NOT NULL,
  PRIMARY KEY (merchant_id, day, cause)
);

-- Per merchant, local day, dimension (outlet, register, cashier) and its id: completed sales that count
-- in the rates (no returns, voids or open sales), and those with a customer. The attach-rate tables.
CREATE TABLE insight_attach (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day date NOT NULL,
  dimension text NOT NULL CHECK (dimension IN ('outlet', 'register', 'cashier')),
  id text NOT NULL,
  sales integer NOT NULL,
  with_customer integer NOT NULL,
  PRIMARY KEY (merchant_id, day, dimension, id)
);

-- Which merchants' figures changed since the detector last looked, per local day of the sales that
-- changed: the upkeep counts a change (`changes`), the detector notes what it saw (`seen`). A pass
-- examines the merchants with a row changed since (changes > seen) or with a day that has just ended
-- (the day it compares is "yesterday"), then deletes the rows of days that ended and marks the others
-- seen: the table holds about one row per merchant that sold today, so finding them is O(merchants with
-- new sales), not O(merchants).
CREATE TABLE insight_detector_due (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day date NOT NULL,
  changes bigint NOT NULL DEFAULT 1,
  seen bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, day)
);

-- Sales decided before this migration.
INSERT INTO insight_days (merchant_id, day, cause, sales, with_customer, points, pending, reversed)
SELECT merchant_id, day, cause, sum(sales), sum(with_customer), sum(points), sum(pending), sum(reversed)
  FROM insight_rollups GROUP BY 1, 2, 3;
INSERT INTO insight_attach (merchant_id, day, dimension, id, sales, with_customer)
SELECT merchant_id, day, CASE WHEN GROUPING(outlet_id) = 0 THEN 'outlet' WHEN GROUPING(register_id) = 0 THEN 'register' ELSE 'cashier' END,
       coalesce(outlet_id, register_id, cashier_id), sum(sales), sum(with_customer)
  FROM insight_rollups WHERE cause NOT IN ('RETURN', 'SALE_VOIDED', 'SALE_NOT_COMPLETED')
 GROUP BY GROUPING SETS ((merchant_id, day, outlet_id), (merchant_id, day, register_id), (merchant_id, day, cashier_id));

-- The detector's old way of finding merchants (by day over the fine rollup) is gone.
DROP INDEX insight_rollups_day;

-- Down Migration
CREATE INDEX insight_rollups_day ON insight_rollups (day, merchant_id);
DROP TABLE insight_detector_due;
DROP TABLE insight_attach;
DROP TABLE insight_days;
