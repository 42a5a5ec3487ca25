-- The service's own state. Portable SQL (H2, PostgreSQL, MySQL/MariaDB): VARCHAR(191) keeps
-- unique indexes inside MySQL's utf8mb4 key limit.

-- Durable old <-> IM id map, modelled on mautrix-go bridgev2 (unique on both sides' ids).
-- One row per entity of every kind, imported or live-synced, whichever side created it.
CREATE TABLE id_map (
    kind         VARCHAR(32)   NOT NULL, -- account, profile, friend, c2c_message, c2c_read_mark, group, group_member, group_message, group_unread
    old_id       VARCHAR(191)  NOT NULL, -- the old system's id (composite ids joined with ':')
    im_id        VARCHAR(191),           -- the IM side's id: UserID, GroupId, MsgKey, GroupId:MsgSeq ...
    origin       VARCHAR(8)    NOT NULL, -- 'old' or 'im': which side created it, the final echo check
    state        VARCHAR(16)   NOT NULL, -- done, rejected
    conversation VARCHAR(191),           -- C2C pair or GroupId, for per-conversation reconciliation
    detail       VARCHAR(1000),          -- rejection reason or truncation note
    created_at   TIMESTAMP     NOT NULL,
    updated_at   TIMESTAMP     NOT NULL,
    CONSTRAINT pk_id_map PRIMARY KEY (kind, old_id),
    CONSTRAINT uq_id_map_im UNIQUE (kind, im_id)
);
CREATE INDEX ix_id_map_conversation ON id_map (kind, conversation);

-- Camel's JDBC idempotent repository (JdbcMessageIdRepository), created here rather than by Camel
-- so a shared production database needs no DDL rights at runtime.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(191) NOT NULL,
    messageId     VARCHAR(191) NOT NULL,
    createdAt     TIMESTAMP,
    CONSTRAINT pk_camel_messageprocessed PRIMARY KEY (processorName, messageId)
);

-- Keyset cursor per import stage: the last old-system key read and handed to the broker, so a
-- restarted import reads on from there (records between the cursor and a crash are re-read and
-- skipped by the id map / idempotent repository).
CREATE TABLE import_cursor (
    stage      VARCHAR(64)   NOT NULL,
    cursor_key VARCHAR(1000) NOT NULL, -- JSON object: cursor column -> last value
    rows_read  BIGINT        NOT NULL,
    updated_at TIMESTAMP     NOT NULL,
    CONSTRAINT pk_import_cursor PRIMARY KEY (stage)
);

-- Progress counters per import stage, shared by every instance (UPDATE ... SET n = n + ?).
CREATE TABLE stage_progress (
    stage         VARCHAR(64) NOT NULL,
    state         VARCHAR(16) NOT NULL, -- pending, running, done, failed
    total         BIGINT      NOT NULL, -- rows the old system holds for this stage (its total query)
    imported      BIGINT      NOT NULL, -- acknowledged by IM (or validated, in a dry run)
    skipped       BIGINT      NOT NULL, -- already imported before (re-read page, redelivery, re-run)
    dead_lettered BIGINT      NOT NULL, -- rejected before a call or refused by IM, in the stage's DLQ
    truncated     BIGINT      NOT NULL, -- imported with a text field cut to IM's byte limit
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    updated_at    TIMESTAMP   NOT NULL,
    CONSTRAINT pk_stage_progress PRIMARY KEY (stage)
);

-- Which instance runs the import orchestrator (old-system readers); the others only consume work
-- queues. A lease that is not renewed expires, and another instance takes over.
CREATE TABLE migration_lease (
    name       VARCHAR(64)  NOT NULL,
    owner      VARCHAR(191) NOT NULL,
    expires_at TIMESTAMP    NOT NULL,
    CONSTRAINT pk_migration_lease PRIMARY KEY (name)
);
