-- Up Migration
-- The pending points of each sale, defined once: the ledger's state read and its read of a return's
-- original both use it (a view, so PostgreSQL pushes the sale's key into the grouped scan).
CREATE VIEW sale_pending_points AS
  SELECT merchant_id, sale_id, sum(points)::int AS points, max(available_at) AS latest
    FROM ledger_entries WHERE status = 'pending'
   GROUP BY merchant_id, sale_id;

-- Down Migration
DROP VIEW sale_pending_points;
