-- Up Migration
-- Sales are applied optimistically: the write succeeds only if the sale's state (and, for a return,
-- its original's return counter) is what the evaluation read. returns_seq counts applied returns.
ALTER TABLE sale_state ADD COLUMN returns_seq integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE sale_state DROP COLUMN returns_seq;
