-- Up Migration
-- Figure 5 of the Insights page (issue 25), "points withheld by exemptions": per sale, the points each
-- product or category exemption kept from its customer (the decision's lines carry them, src/rules/evaluate.ts),
-- and their sum per merchant, local day and exemption. The upkeep (src/insights/store/upkeep.ts) moves both
-- in the ledger write's statement, as it moves the other rollups: a sale's new version takes its previous
-- rows out and puts its new ones in; the rebuild recomputes them. Only exemptions that withheld points have
-- a row. Sales decided before this migration have none: their decisions did not record what was withheld
-- (a replay decides them again).

-- One row per sale and exemption that withheld points: the sale's previous contribution, and the sales
-- list behind a row of the figure.
CREATE TABLE insight_sale_exemptions (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  sale_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('product', 'category')),
  exempt_id text NOT NULL,
  day date NOT NULL,
  points integer NOT NULL,
  PRIMARY KEY (merchant_id, sale_id, kind, exempt_id)
);
CREATE INDEX insight_sale_exemptions_list ON insight_sale_exemptions (merchant_id, kind, exempt_id, day);

-- Per merchant, local day and exemption: the sales it withheld points from, and those points.
CREATE TABLE insight_exemptions (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('product', 'category')),
  exempt_id text NOT NULL,
  sales integer NOT NULL,
  points bigint NOT NULL,
  PRIMARY KEY (merchant_id, day, kind, exempt_id)
);

-- Down Migration
DROP TABLE insight_exemptions;
DROP TABLE insight_sale_exemptions;
