-- Up Migration
-- One normalization for people's emails (src/staff/emailKey.ts: NFKC + case fold, in JavaScript): the key
-- is stored and unique, and sign-in looks up by it. Rows already there get PostgreSQL's nearest reading
-- (NFKC, lower, upper, lower case), the same as the JavaScript key for every address written in ASCII.
ALTER TABLE staff_users ADD COLUMN email_key text;
UPDATE staff_users SET email_key = normalize(lower(upper(lower(normalize(btrim(email), NFKC)))), NFKC);
ALTER TABLE staff_users ALTER COLUMN email_key SET NOT NULL;
DROP INDEX staff_users_email;
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (email_key);

-- Down Migration
DROP INDEX staff_users_email_key;
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));
ALTER TABLE staff_users DROP COLUMN email_key;
