-- Two-way sync, old system -> IM (change capture and intake). Portable SQL (H2, PostgreSQL, MySQL).
-- The capture cursors reuse import_cursor (stage 'capture:<kind>'), the capture lease reuses
-- migration_lease (name 'sync-old-to-im-capture').

-- Live changes that must wait for the historical import of their conversation (IM refuses a group
-- message older than the group's newest one, so live traffic may not overtake the import). Kept in
-- arrival order per conversation (seq), released to im.sync.old-to-im once the import stage is done.
CREATE TABLE sync_held_change (
    conversation VARCHAR(191)  NOT NULL, -- the JMSXGroupID: C2C pair "a|b" or the GroupId
    seq          BIGINT        NOT NULL, -- arrival order within the conversation
    change_id    VARCHAR(191)  NOT NULL, -- <kind>:<old id>, so a redelivered change is held once
    await_stage  VARCHAR(64)   NOT NULL, -- the import stage it waits for
    payload      VARCHAR(10000) NOT NULL, -- the change as it was on the queue (JSON)
    held_at      TIMESTAMP     NOT NULL,
    CONSTRAINT pk_sync_held_change PRIMARY KEY (conversation, seq),
    CONSTRAINT uq_sync_held_change UNIQUE (change_id)
);
