-- Up Migration
CREATE TABLE merchants (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  series text NOT NULL CHECK (series IN ('x', 'r')),
  domain_prefix text,
  account_id text,
  timezone text NOT NULL,
  -- Secrets are stored because the service must use them (HMAC, API calls); the API never returns them.
  webhook_secret text,
  allow_unsigned boolean NOT NULL DEFAULT false,
  url_token text,
  access_token text,
  refresh_token text,
  token_expires_at timestamptz,
  api_base_url text,
  registers integer NOT NULL DEFAULT 1 CHECK (registers >= 1),
  paused boolean NOT NULL DEFAULT false,
  needs_reauth boolean NOT NULL DEFAULT false,
  needs_reauth_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (series <> 'x' OR domain_prefix IS NOT NULL),
  CHECK (series <> 'r' OR account_id IS NOT NULL)
);

CREATE TABLE api_tokens (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'support', 'viewer')),
  merchant_id text REFERENCES merchants (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  actor_token_id bigint,
  merchant_id text,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_merchant ON audit_log (merchant_id, at);

-- Down Migration
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE merchants;
