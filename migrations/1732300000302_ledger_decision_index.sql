-- Up Migration
-- The sale page lists the ledger entries of a sale, including those its decisions wrote under another
-- sale id (a return's reversal of its original's pending points): found by decision id. Without this
-- index that read went through every entry of the merchant (80 ms at 10,000 sales per merchant in
-- `BENCH_ONLY=console npm run bench`; 0.1 ms with it).
CREATE INDEX ledger_decision ON ledger_entries (decision_id) WHERE decision_id IS NOT NULL;

-- Down Migration
DROP INDEX ledger_decision;
