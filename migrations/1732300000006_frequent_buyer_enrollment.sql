-- Up Migration
-- Frequent-buyer programs, first part: who distributes what where, and which distributor and account
-- number each location uses per offer. Punch cards, redemptions and claims come later.
CREATE TABLE distributors (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  regions text[] NOT NULL DEFAULT '{}',
  requires_account_number boolean NOT NULL DEFAULT false,
  is_holding boolean NOT NULL DEFAULT false
);
-- The built-in pseudo-distributor for enrollments no distributor serves yet.
INSERT INTO distributors (name, is_holding) VALUES ('Temporary Holding', true);
CREATE UNIQUE INDEX distributors_one_holding ON distributors (is_holding) WHERE is_holding;

CREATE TABLE offers (
  id bigserial PRIMARY KEY,
  manufacturer text NOT NULL,
  brand text NOT NULL,
  name text NOT NULL,
  purchases_required integer NOT NULL CHECK (purchases_required >= 1),
  free_item_rule text NOT NULL CHECK (free_item_rule IN ('lesser_or_equal_value', 'least_value')),
  starts_on date NOT NULL,
  ends_on date,
  products jsonb NOT NULL DEFAULT '[]',
  eligible_distributor_ids bigint[] NOT NULL DEFAULT '{}'
);

CREATE TABLE locations (
  merchant_id text NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  shop_id text NOT NULL,
  name text NOT NULL,
  region text NOT NULL,
  PRIMARY KEY (merchant_id, shop_id)
);

CREATE TABLE enrollments (
  merchant_id text NOT NULL,
  offer_id bigint NOT NULL REFERENCES offers (id),
  shop_id text NOT NULL,
  distributor_id bigint NOT NULL REFERENCES distributors (id),
  account_number text,
  holding_reason text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, offer_id, shop_id),
  FOREIGN KEY (merchant_id, shop_id) REFERENCES locations (merchant_id, shop_id) ON DELETE CASCADE
);

-- Down Migration
DROP TABLE enrollments;
DROP TABLE locations;
DROP TABLE offers;
DROP TABLE distributors;
