-- Up Migration
-- What a sale's refund lines took back from its original (a return, or the returned side of an
-- exchange), kept apart from what its new lines earn: the two are posted to their own customers on
-- their own schedules (`points` stays the sale's net). Filled from each sale's stored decision.
ALTER TABLE sale_state ADD COLUMN reversed integer NOT NULL DEFAULT 0;
UPDATE sale_state s
   SET reversed = coalesce((SELECT -sum((l ->> 'points')::int) FROM decisions d, jsonb_array_elements(d.decision -> 'lines') l
                             WHERE d.id = s.decision_id AND l ->> 'exemptBy' = 'refund'), 0)
 WHERE s.original_sale_id IS NOT NULL;

-- A return applied before its original earned anything: set when the original earns, so that the
-- return's version, already applied, is evaluated again (its inbox row is reopened in the same write).
ALTER TABLE sale_state ADD COLUMN reapply boolean NOT NULL DEFAULT false;

-- R-Series returns name the original's lines, not its sale: a return whose lines are not known yet
-- waits here for the sale that sold them.
CREATE TABLE refund_waits (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  line_id text NOT NULL,
  sale_id text NOT NULL,
  PRIMARY KEY (merchant_id, line_id, sale_id)
);

-- Down Migration
DROP TABLE refund_waits;
ALTER TABLE sale_state DROP COLUMN reapply;
ALTER TABLE sale_state DROP COLUMN reversed;
