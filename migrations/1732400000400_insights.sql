-- Up Migration
-- Insights (issue 25). No figure on the Insights page scans every sale: they read these rollups.

-- Each sale's current contribution to the rollups: what its last applied decision says. A new version
-- subtracts exactly this row from the rollups and adds its own (src/insights/store/upkeep.ts), in the
-- transaction of the ledger write. It also backs the list of sales behind a figure.
CREATE TABLE insight_sales (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  sale_id text NOT NULL,
  decision_id bigint NOT NULL,
  completed_at timestamptz,
  -- The first applied decision of the sale: the sale → decision delay.
  first_decided_at timestamptz NOT NULL,
  day date NOT NULL,
  outlet_id text NOT NULL,
  register_id text NOT NULL,
  cashier_id text NOT NULL,
  cause text NOT NULL,
  counted boolean NOT NULL,
  has_customer boolean NOT NULL,
  points integer NOT NULL,
  pending integer NOT NULL,
  reversed integer NOT NULL,
  -- How the service first learned of the sale (webhook, poll, backfill; unknown when not stored).
  first_source text NOT NULL,
  -- floor(log2(seconds)) of the delay, 0..24; -1 when not counted.
  delay_bucket smallint NOT NULL,
  PRIMARY KEY (merchant_id, sale_id)
);
CREATE INDEX insight_sales_day ON insight_sales (merchant_id, day);
-- The list behind a why-not bar: one cause over a window.
CREATE INDEX insight_sales_cause ON insight_sales (merchant_id, cause, day);

-- Per merchant, local day (merchant time zone), outlet, register, cashier and cause.
CREATE TABLE insight_rollups (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day date NOT NULL,
  outlet_id text NOT NULL,
  register_id text NOT NULL,
  cashier_id text NOT NULL,
  cause text NOT NULL,
  sales integer NOT NULL,
  with_customer integer NOT NULL,
  points bigint NOT NULL,
  pending bigint NOT NULL,
  reversed bigint NOT NULL,
  PRIMARY KEY (merchant_id, day, outlet_id, register_id, cashier_id, cause)
);

-- Intake health per local day: first seen by which path, and the sale → decision delay histogram.
CREATE TABLE insight_intake (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day date NOT NULL,
  source text NOT NULL,
  delay_bucket smallint NOT NULL,
  sales integer NOT NULL,
  PRIMARY KEY (merchant_id, day, source, delay_bucket)
);

-- Points moved per local day of the movement (the merchant's points liability): kept by triggers on
-- ledger_entries, so every writer of entries (sales, releases, adjustments) keeps it in its own
-- statement, and a repeated entry (same idempotency key) inserts nothing and counts nothing.
CREATE TABLE insight_points (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day date NOT NULL,
  earned bigint NOT NULL DEFAULT 0,
  -- Signed: pending when written (earn and pending reversals).
  pending_in bigint NOT NULL DEFAULT 0,
  released bigint NOT NULL DEFAULT 0,
  -- Signed (≤ 0).
  reversed bigint NOT NULL DEFAULT 0,
  adjusted bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, day)
);

CREATE FUNCTION insight_points_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Sorted, so that two transactions lock the same rows in the same order (no deadlock).
  INSERT INTO insight_points AS p (merchant_id, day, earned, pending_in, reversed, adjusted)
  SELECT n.merchant_id, (n.created_at AT TIME ZONE m.timezone)::date,
         coalesce(sum(n.points) FILTER (WHERE n.kind = 'earn'), 0), coalesce(sum(n.points) FILTER (WHERE n.status = 'pending'), 0),
         coalesce(sum(n.points) FILTER (WHERE n.kind = 'reverse'), 0), coalesce(sum(n.points) FILTER (WHERE n.kind = 'adjust'), 0)
    FROM inserted_entries n JOIN merchants m ON m.id = n.merchant_id
   GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (merchant_id, day) DO UPDATE SET earned = p.earned + excluded.earned, pending_in = p.pending_in + excluded.pending_in,
     reversed = p.reversed + excluded.reversed, adjusted = p.adjusted + excluded.adjusted;
  RETURN NULL;
END $$;

CREATE FUNCTION insight_points_released() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO insight_points AS p (merchant_id, day, released)
  SELECT n.merchant_id, (coalesce(n.released_at, now()) AT TIME ZONE m.timezone)::date, sum(n.points)
    FROM new_entries n JOIN old_entries o ON o.id = n.id JOIN merchants m ON m.id = n.merchant_id
   WHERE o.status = 'pending' AND n.status = 'posted'
   GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (merchant_id, day) DO UPDATE SET released = p.released + excluded.released;
  RETURN NULL;
END $$;

CREATE TRIGGER insight_points_insert AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS inserted_entries FOR EACH STATEMENT EXECUTE FUNCTION insight_points_inserted();
CREATE TRIGGER insight_points_release AFTER UPDATE ON ledger_entries
  REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION insight_points_released();

-- Points moved before this migration (the sales' rollups are filled by `npm run insights -- rebuild`,
-- which needs the rules' causes: TypeScript).
INSERT INTO insight_points (merchant_id, day, earned, pending_in, reversed, adjusted)
SELECT e.merchant_id, (e.created_at AT TIME ZONE m.timezone)::date,
       coalesce(sum(e.points) FILTER (WHERE e.kind = 'earn'), 0),
       coalesce(sum(e.points) FILTER (WHERE e.status = 'pending' OR e.released_at IS NOT NULL), 0),
       coalesce(sum(e.points) FILTER (WHERE e.kind = 'reverse'), 0), coalesce(sum(e.points) FILTER (WHERE e.kind = 'adjust'), 0)
  FROM ledger_entries e JOIN merchants m ON m.id = e.merchant_id GROUP BY 1, 2;
INSERT INTO insight_points AS p (merchant_id, day, released)
SELECT e.merchant_id, (e.released_at AT TIME ZONE m.timezone)::date, sum(e.points)
  FROM ledger_entries e JOIN merchants m ON m.id = e.merchant_id WHERE e.released_at IS NOT NULL GROUP BY 1, 2
ON CONFLICT (merchant_id, day) DO UPDATE SET released = p.released + excluded.released;

-- Down Migration
DROP TRIGGER insight_points_release ON ledger_entries;
DROP TRIGGER insight_points_insert ON ledger_entries;
DROP FUNCTION insight_points_released();
DROP FUNCTION insight_points_inserted();
DROP TABLE insight_points;
DROP TABLE insight_intake;
DROP TABLE insight_rollups;
DROP TABLE insight_sales;
