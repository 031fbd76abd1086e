-- Up Migration
-- The console's search box matches a customer id across merchants (platform staff): without this index,
-- every search (a receipt, a Sale ID, an email) scanned the whole customers table for it (EXPLAIN in
-- bench/logs/console-explain.txt after `BENCH_ONLY=console npm run bench`).
CREATE INDEX customers_customer_any ON customers (customer_id);

-- Down Migration
DROP INDEX customers_customer_any;
