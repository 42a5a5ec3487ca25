-- Sample old system on MySQL 8 / MariaDB 10.6+: the shape many self-built chat backends have, on
-- purpose different from the reference schema. t_ prefixes, numeric codes for enums, times as Unix
-- milliseconds in BIGINT, one message table for 1:1 and group chats (chat_type), friendships stored
-- once per direction, and a per-user session table holding read positions and unread counts.
-- samples/mysql/mapping.yml maps it.
CREATE TABLE t_user (
    uid               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account           VARCHAR(64)  NOT NULL,
    nickname          VARCHAR(64),
    avatar            VARCHAR(255),
    sex               TINYINT      NOT NULL DEFAULT 0,  -- 0 unknown, 1 male, 2 female
    birthday          CHAR(8),                         -- yyyyMMdd
    region            VARCHAR(64),
    sign              VARCHAR(255),
    vip_level         TINYINT      NOT NULL DEFAULT 0,
    add_friend_verify TINYINT      NOT NULL DEFAULT 1,  -- 0 anyone, 1 needs confirmation, 2 nobody
    status            TINYINT      NOT NULL DEFAULT 1,  -- 1 normal, 2 banned, 3 cancelled (account deleted)
    create_time       BIGINT       NOT NULL,            -- Unix ms
    update_time       BIGINT       NOT NULL,
    UNIQUE KEY uk_account (account)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per direction: A's list holds B, B's list holds A. status 2: removed from that user's list.
CREATE TABLE t_friend (
    uid         BIGINT      NOT NULL,
    friend_uid  BIGINT      NOT NULL,
    remark      VARCHAR(64),
    source      VARCHAR(16),                            -- search, qrcode, group, contacts
    status      TINYINT     NOT NULL DEFAULT 1,         -- 1 friend, 2 removed
    create_time BIGINT      NOT NULL,
    PRIMARY KEY (uid, friend_uid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE t_group (
    group_id    BIGINT       NOT NULL PRIMARY KEY,
    group_name  VARCHAR(64)  NOT NULL,
    group_type  TINYINT      NOT NULL,                  -- 1 normal, 2 public (searchable), 3 chat room, 4 live
    owner_uid   BIGINT       NOT NULL,
    avatar      VARCHAR(255),
    intro       VARCHAR(255),
    notice      VARCHAR(512),
    max_member  INT          NOT NULL DEFAULT 500,
    join_mode   TINYINT      NOT NULL DEFAULT 1,         -- 0 anyone, 1 owner/admin approves, 2 invitation only
    status      TINYINT      NOT NULL DEFAULT 1,         -- 1 normal, 2 dismissed
    create_time BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE t_group_user (
    group_id    BIGINT      NOT NULL,
    uid         BIGINT      NOT NULL,
    role        TINYINT     NOT NULL DEFAULT 0,          -- 0 member, 1 admin, 2 owner
    group_nick  VARCHAR(64),
    join_time   BIGINT      NOT NULL,
    PRIMARY KEY (group_id, uid),
    KEY idx_uid (uid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- chat_type 1: to_id is a uid; chat_type 2: to_id is a group_id.
-- msg_type 1 text (content is the text), 2 image {"url","width","height","size"},
-- 3 voice {"url","duration","size"}, 6 location {"lat","lng","name"}.
CREATE TABLE t_chat_msg (
    msg_id      BIGINT      NOT NULL PRIMARY KEY,
    chat_type   TINYINT     NOT NULL,
    from_uid    BIGINT      NOT NULL,
    to_id       BIGINT      NOT NULL,
    msg_type    TINYINT     NOT NULL,
    content     TEXT        NOT NULL,
    is_recalled TINYINT     NOT NULL DEFAULT 0,
    create_time BIGINT      NOT NULL,                    -- Unix ms
    -- the keyset orders of the mapping: 1:1 by time, group history per group by time
    KEY idx_type_time (chat_type, create_time, msg_id),
    KEY idx_type_to_time (chat_type, to_id, create_time, msg_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The chat list: one row per user and chat, with how far the user has read and the unread badge.
CREATE TABLE t_chat_session (
    uid            BIGINT  NOT NULL,
    chat_type      TINYINT NOT NULL,                     -- 1 single, 2 group
    peer_id        BIGINT  NOT NULL,                     -- the other uid, or the group_id
    last_read_time BIGINT  NOT NULL DEFAULT 0,           -- Unix ms, 0 = never read
    unread_count   INT     NOT NULL DEFAULT 0,
    update_time    BIGINT  NOT NULL,
    PRIMARY KEY (uid, chat_type, peer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
