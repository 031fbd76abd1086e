-- Up Migration
-- Connecting a store through Lightspeed's OAuth (src/connect). A pending authorization: the state sent to
-- Lightspeed is kept only as a hash, bound to the hash of the person's session id, single-use (taken with
-- DELETE ... RETURNING) and short-lived; the PKCE verifier (R-Series) is encrypted like merchant secrets.
CREATE TABLE connect_states (
  state_hash text PRIMARY KEY,
  series text NOT NULL CHECK (series IN ('x', 'r')),
  session_hash text NOT NULL,
  staff_user_id bigint NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  -- The merchant the person asked to connect (a merchant-scoped admin: always theirs); null: derive it.
  merchant_id text,
  merchant_name text,
  timezone text,
  code_verifier text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX connect_states_expires ON connect_states (expires_at);

-- What the connect flow set up in Lightspeed for a merchant, so that disconnecting can undo it.
CREATE TABLE lightspeed_connections (
  merchant_id text PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
  series text NOT NULL CHECK (series IN ('x', 'r')),
  status text NOT NULL CHECK (status IN ('connected', 'disconnected')),
  webhook_id text,
  -- Whether the merchant was paused by a person before disconnecting (a reconnect keeps that pause).
  paused_before_disconnect boolean NOT NULL DEFAULT false,
  connected_at timestamptz,
  connected_by text,
  disconnected_at timestamptz,
  disconnected_by text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE lightspeed_connections;
DROP TABLE connect_states;
