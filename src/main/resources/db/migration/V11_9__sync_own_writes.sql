-- Two-way sync: the rows the IM -> old writer wrote into the old system, so that log-based change
-- capture (old -> IM) recognises them and does not send them back (no marker column in the old
-- schema). Written before the old system's transaction commits; a captured change that matches a
-- row (table, operation, key, values) is skipped. A one-row entry is claimed by the first change
-- that matches it (claimed_at = that change's log position, so a replay after a restart still
-- matches); an entry for many rows (DELETE ... WHERE group_id = ?) matches until it expires.
CREATE TABLE sync_own_write (
    id           VARCHAR(36)   NOT NULL,
    table_name   VARCHAR(128)  NOT NULL,
    op           CHAR(1)       NOT NULL, -- c insert, u update, d delete
    row_key      VARCHAR(1000) NOT NULL, -- JSON object: column -> value (text), the written row's key
    row_values   VARCHAR(4000),          -- JSON object: column -> value (text) the row must have after the write
    many_rows    BOOLEAN       NOT NULL, -- the key selects several rows: matches each, never claimed
    claimed_at   VARCHAR(191),           -- log position of the change that consumed a one-row entry
    written_at   TIMESTAMP     NOT NULL,
    CONSTRAINT pk_sync_own_write PRIMARY KEY (id)
);
CREATE INDEX ix_sync_own_write_table ON sync_own_write (table_name, op);
