-- Up Migration
-- A password an admin reset must be changed by its person at the next sign-in (src/staff/passwordRoutes.ts).
ALTER TABLE staff_users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE staff_users DROP COLUMN must_change_password;
