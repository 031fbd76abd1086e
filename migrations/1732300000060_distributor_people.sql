-- Up Migration
-- Distributor people sign in to the console like staff: a person of role `distributor` belongs to exactly
-- one distributor and to no merchant; every other person belongs to no distributor.
ALTER TABLE staff_users ADD COLUMN distributor_id bigint REFERENCES distributors (id);
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_role_check CHECK (role IN ('admin', 'support', 'viewer', 'distributor'));
ALTER TABLE staff_users ADD CONSTRAINT staff_users_one_scope CHECK ((role = 'distributor') = (distributor_id IS NOT NULL) AND (role <> 'distributor' OR merchant_id IS NULL));

-- "My distributor is not listed": platform admins answer each request; the retailer sees where it stands.
ALTER TABLE distributor_requests ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'added', 'declined'));
ALTER TABLE distributor_requests ADD COLUMN status_note text;
ALTER TABLE distributor_requests ADD COLUMN status_changed_by text;
ALTER TABLE distributor_requests ADD COLUMN status_changed_at timestamptz;

-- Down Migration
ALTER TABLE distributor_requests DROP COLUMN status_changed_at;
ALTER TABLE distributor_requests DROP COLUMN status_changed_by;
ALTER TABLE distributor_requests DROP COLUMN status_note;
ALTER TABLE distributor_requests DROP COLUMN status;
DELETE FROM staff_users WHERE role = 'distributor';
ALTER TABLE staff_users DROP CONSTRAINT staff_users_one_scope;
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_role_check CHECK (role IN ('admin', 'support', 'viewer'));
ALTER TABLE staff_users DROP COLUMN distributor_id;
