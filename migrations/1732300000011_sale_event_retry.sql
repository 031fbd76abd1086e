-- Up Migration
-- A failed event that may heal (a Lightspeed 4xx: a product fixed later, a scope granted) is tried again
-- after a long backoff; `heal_attempts` counts those tries. Replays by support reset both.
ALTER TABLE sale_events ADD COLUMN retry_at timestamptz, ADD COLUMN heal_attempts integer NOT NULL DEFAULT 0;
CREATE INDEX sale_events_retry ON sale_events (retry_at) WHERE status = 'failed' AND retry_at IS NOT NULL;
CREATE INDEX sale_events_failed ON sale_events (merchant_id, id) WHERE status = 'failed';

-- Down Migration
DROP INDEX sale_events_failed;
DROP INDEX sale_events_retry;
ALTER TABLE sale_events DROP COLUMN heal_attempts, DROP COLUMN retry_at;
