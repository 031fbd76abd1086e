-- Up Migration
-- The inbox relay (issue 29): a webhook's inbox row is its durable acceptance, and queueing its BullMQ job
-- moved off the request path to the worker role (src/inbox/relay.ts). The statement that stores a
-- delivery also writes its event id here, in the same commit; the relay takes committed ids in order,
-- queues them (job id from the event id, so a second add is harmless) and deletes them in one transaction
-- (rolled back, the ids stay, when Redis is away). The sweeper stays the safety net.
CREATE TABLE sale_event_relay (
  event_id bigint PRIMARY KEY
);

-- Wakes the relay when ids commit (a NOTIFY is delivered at commit, so it never names uncommitted rows);
-- once per statement, not per row: the relay reads the table, not the notification.
CREATE FUNCTION sale_event_relay_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sale_event_relay', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER sale_event_relay_notify AFTER INSERT ON sale_event_relay
  FOR EACH STATEMENT EXECUTE FUNCTION sale_event_relay_notify();

-- Down Migration
DROP TABLE sale_event_relay;
DROP FUNCTION sale_event_relay_notify();
