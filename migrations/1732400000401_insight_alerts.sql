-- Up Migration
-- Alerts the insights detector opens (src/insights/alerts): open → acknowledged (by whom) → resolved
-- (by the detector when the condition clears, or by a person). Once per condition: at most one alert
-- not yet resolved per merchant, kind and subject (a register, a cashier, a cause).
CREATE TABLE insight_alerts (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  kind text NOT NULL,
  subject text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  evidence jsonb NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_by text,
  acknowledged_at timestamptz,
  resolved_by text,
  resolved_at timestamptz
);
CREATE UNIQUE INDEX insight_alerts_once ON insight_alerts (merchant_id, kind, subject) WHERE status <> 'resolved';
CREATE INDEX insight_alerts_merchant ON insight_alerts (merchant_id, opened_at DESC);

-- Per-merchant thresholds over the defaults (src/insights/alerts/thresholds.ts); absent = defaults.
CREATE TABLE insight_alert_settings (
  merchant_id text PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The detector looks only at merchants with sales on the days it compares: found by day.
CREATE INDEX insight_rollups_day ON insight_rollups (day, merchant_id);

-- Down Migration
DROP INDEX insight_rollups_day;
DROP TABLE insight_alert_settings;
DROP TABLE insight_alerts;
