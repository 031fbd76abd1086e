-- Up Migration
-- The last run of failed polls (an outage of Lightspeed or of its token endpoint), kept after polling
-- recovers so that the Operations page can say what happened: when it started, when the first poll after
-- it succeeded (NULL while it lasts), how many polls failed and the last error. last_error alone is
-- cleared by the next success.
ALTER TABLE poll_state
  ADD COLUMN outage_started_at timestamptz,
  ADD COLUMN outage_ended_at timestamptz,
  ADD COLUMN outage_failures integer NOT NULL DEFAULT 0,
  ADD COLUMN outage_error text;

-- Down Migration
ALTER TABLE poll_state DROP COLUMN outage_started_at, DROP COLUMN outage_ended_at, DROP COLUMN outage_failures, DROP COLUMN outage_error;
