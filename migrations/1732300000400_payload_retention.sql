-- Up Migration
-- Retention: the raw payload of a sale version is only needed until its decision is made (and for a
-- replay while it is not done). The retention job sets it to NULL once a version has been done for
-- PAYLOAD_RETENTION_DAYS; payload_dropped_at says when, so support's sale page can tell a dropped payload
-- from a missing one. Decisions, ledger entries, receipts and sale snapshots are never touched.
ALTER TABLE sale_events ALTER COLUMN payload DROP NOT NULL, ADD COLUMN payload_dropped_at timestamptz;
-- Only a done version may lose its payload: a received, waiting or failed one may still be applied or
-- replayed. NOT VALID first, then VALIDATE: the check of existing rows does not block writes.
ALTER TABLE sale_events ADD CONSTRAINT sale_events_payload_kept
  CHECK (payload IS NOT NULL OR (status = 'done' AND payload_dropped_at IS NOT NULL)) NOT VALID;
ALTER TABLE sale_events VALIDATE CONSTRAINT sale_events_payload_kept;
-- What the job looks for, oldest first; a row leaves this index once its payload is dropped.
CREATE INDEX sale_events_retention ON sale_events (processed_at) WHERE status = 'done' AND payload IS NOT NULL;

-- Down Migration
DROP INDEX sale_events_retention;
ALTER TABLE sale_events DROP CONSTRAINT sale_events_payload_kept;
UPDATE sale_events SET payload = '{"droppedByRetention": true}'::jsonb WHERE payload IS NULL;
ALTER TABLE sale_events DROP COLUMN payload_dropped_at, ALTER COLUMN payload SET NOT NULL;
