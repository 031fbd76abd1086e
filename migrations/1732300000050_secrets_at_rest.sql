-- Up Migration
-- URL tokens are matched by hash (a delivery's ?token= is hashed, never compared with a decrypted value).
-- Encrypting existing clear secrets needs SECRETS_KEY, which SQL migrations do not have: the service does
-- that at every boot (src/secrets/merchantSecrets.ts, idempotent) and `npm run secrets -- rotate` does it too.
ALTER TABLE merchants ADD COLUMN url_token_hash text;
UPDATE merchants SET url_token_hash = encode(sha256(convert_to(url_token, 'UTF8')), 'hex') WHERE url_token IS NOT NULL AND url_token NOT LIKE 'enc:v1:%';

-- Down Migration
ALTER TABLE merchants DROP COLUMN url_token_hash;
