-- Reference old system: a typical self-built chat backend. Portable across H2, PostgreSQL and
-- MySQL/MariaDB. The demo data generator fills it; routes/old-system/mapping.yml maps it.
CREATE TABLE IF NOT EXISTS users (
    id           BIGINT        NOT NULL PRIMARY KEY,
    username     VARCHAR(100)  NOT NULL,
    nickname     VARCHAR(200),
    avatar_url   VARCHAR(500),
    gender       VARCHAR(8),              -- male / female / NULL
    birthday     DATE,
    location     VARCHAR(100),
    signature    VARCHAR(1000),
    allow_friend VARCHAR(16),             -- any / confirm / deny
    language     INT,
    level        INT,
    role         INT,
    created_at   TIMESTAMP     NOT NULL
);
CREATE TABLE IF NOT EXISTS friendships (
    user_id    BIGINT       NOT NULL,
    friend_id  BIGINT       NOT NULL,
    remark     VARCHAR(100),
    group_name VARCHAR(64),
    source     VARCHAR(32),               -- how they met: search / qr / group ...
    created_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (user_id, friend_id)
);
CREATE TABLE IF NOT EXISTS messages (
    id          BIGINT        NOT NULL PRIMARY KEY,
    sender_id   BIGINT        NOT NULL,
    receiver_id BIGINT        NOT NULL,
    kind        VARCHAR(16)   NOT NULL,   -- text / image / file / sound / video / location / face / custom
    body        VARCHAR(8000) NOT NULL,   -- the text, or a JSON document for the other kinds
    sent_at     TIMESTAMP     NOT NULL,
    im_ref      VARCHAR(191)              -- set only on rows the sync service wrote from IM (MsgKey)
);
CREATE INDEX IF NOT EXISTS ix_messages_sent ON messages (sent_at, id);
-- by im_ref: the IM -> old sync's "written before?" check (routes/old-system/sync-writes.yml, exists); and
-- im_ref IS NULL in (sent_at, id) order: change capture (mapping.yml). An index on im_ref alone would
-- make the capture read every row with a null im_ref, i.e. the whole table, on each poll.
CREATE INDEX IF NOT EXISTS ix_messages_im_ref ON messages (im_ref, sent_at, id);
CREATE TABLE IF NOT EXISTS read_receipts (
    user_id BIGINT    NOT NULL,
    peer_id BIGINT    NOT NULL,
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, peer_id)
);
CREATE TABLE IF NOT EXISTS chat_groups (
    id           BIGINT       NOT NULL PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    kind         VARCHAR(16)  NOT NULL,   -- public / private / chatroom / community / live
    owner_id     BIGINT,
    introduction VARCHAR(1000),
    notification VARCHAR(1000),
    avatar_url   VARCHAR(500),
    max_members  INT,
    join_policy  VARCHAR(16),             -- free / approval / closed
    created_at   TIMESTAMP    NOT NULL
);
CREATE TABLE IF NOT EXISTS group_members (
    group_id     BIGINT      NOT NULL,
    user_id      BIGINT      NOT NULL,
    role         VARCHAR(16) NOT NULL,    -- owner / admin / member
    joined_at    TIMESTAMP   NOT NULL,
    unread_count INT         NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
);
CREATE TABLE IF NOT EXISTS group_messages (
    id        BIGINT        NOT NULL PRIMARY KEY,
    group_id  BIGINT        NOT NULL,
    sender_id BIGINT        NOT NULL,
    kind      VARCHAR(16)   NOT NULL,
    body      VARCHAR(8000) NOT NULL,
    sent_at   TIMESTAMP     NOT NULL,
    im_ref    VARCHAR(191)              -- set only on rows the sync service wrote from IM (GroupId:MsgSeq)
);
CREATE INDEX IF NOT EXISTS ix_group_messages_sent ON group_messages (group_id, sent_at, id);
CREATE INDEX IF NOT EXISTS ix_group_messages_im_ref ON group_messages (im_ref, sent_at, id);
-- Group change log, for change capture (old system -> IM): one row per group created, dismissed,
-- changed (name / introduction / notification / face_url: the new values, NULL = unchanged),
-- member joined or left. The old app writes it in the same transaction as the change itself.
CREATE TABLE IF NOT EXISTS group_events (
    id           BIGINT        NOT NULL PRIMARY KEY,
    group_id     BIGINT        NOT NULL,
    kind         VARCHAR(16)   NOT NULL,  -- created / dismissed / changed / joined / left
    user_id      BIGINT,                  -- the member (joined / left), the owner (created)
    name         VARCHAR(200),
    introduction VARCHAR(1000),
    notification VARCHAR(1000),
    face_url     VARCHAR(500),
    happened_at  TIMESTAMP     NOT NULL,
    im_ref       VARCHAR(191)             -- set only on rows the sync service wrote from IM
);
CREATE INDEX IF NOT EXISTS ix_group_events_happened ON group_events (happened_at, id);
