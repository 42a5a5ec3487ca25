-- Groups with an import_group_msg call whose answer may not be recorded yet. import_group_msg has no
-- durable dedup, so a group found here (a crash or a retry between IM's answer and the id map write)
-- has its newest messages read back from IM before anything more is sent to it. The row is written
-- before a group's first call of a batch and removed once every answer of the batch is recorded.
CREATE TABLE group_history_call (
    group_id   VARCHAR(64) NOT NULL, -- the IM GroupId
    started_at TIMESTAMP   NOT NULL,
    CONSTRAINT pk_group_history_call PRIMARY KEY (group_id)
);
