-- Up Migration
-- Every store of one Lightspeed app shares its client secret, so a signed delivery does not say which
-- merchant it is for. A merchant whose registered webhook URL carries its URL token (the connect flow sets
-- this) needs that token on signed deliveries too. Existing merchants keep their behaviour (false) until
-- they are reconnected or an admin sets it once their registered URL carries the token.
ALTER TABLE merchants ADD COLUMN signed_needs_url_token boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE merchants DROP COLUMN signed_needs_url_token;
