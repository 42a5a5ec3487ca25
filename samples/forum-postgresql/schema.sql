-- A forum's member area on PostgreSQL: members known by their handle, "pals", private messages and
-- clubs with posts. Unlike the other samples: text ids (handles), one-letter and numeric codes, every
-- time an INTEGER of Unix seconds, soft deletes by flag or by a "closed" time, media in columns.
CREATE TABLE member (
    handle        VARCHAR(40)  PRIMARY KEY,          -- login name: the old user id
    shown_as      VARCHAR(80)  NOT NULL,             -- display name
    avatar        VARCHAR(200),
    sex           CHAR(1),                           -- 'M', 'F', 'X' (not said)
    born_on       DATE,
    city          VARCHAR(60),
    motto         VARCHAR(300),
    karma         INTEGER      NOT NULL DEFAULT 0,   -- forum points: a custom IM profile tag
    pal_policy    SMALLINT     NOT NULL DEFAULT 1,   -- who may add them: 0 anyone, 1 on request, 2 nobody
    joined_epoch  INTEGER      NOT NULL,
    gone          BOOLEAN      NOT NULL DEFAULT false -- account closed (soft delete)
);

-- one row per direction: each side's own list
CREATE TABLE pal (
    handle       VARCHAR(40) NOT NULL REFERENCES member,
    pal_handle   VARCHAR(40) NOT NULL REFERENCES member,
    nickname     VARCHAR(60),
    circle       VARCHAR(40),
    since_epoch  INTEGER     NOT NULL,
    PRIMARY KEY (handle, pal_handle)
);

-- private messages. ctype: 1 text, 2 picture, 3 attachment, 4 voice clip, 5 smiley, 6 place, 7 poll
CREATE TABLE pm (
    pm_no        BIGINT       PRIMARY KEY,
    author       VARCHAR(40)  NOT NULL REFERENCES member,
    addressee    VARCHAR(40)  NOT NULL REFERENCES member,
    ctype        SMALLINT     NOT NULL,
    txt          TEXT,                               -- the text, a caption, a file name or the smiley
    media_url    VARCHAR(300),
    media_w      INTEGER,
    media_h      INTEGER,
    media_bytes  INTEGER,
    media_secs   INTEGER,
    lat          DOUBLE PRECISION,
    lng          DOUBLE PRECISION,
    sent_epoch   INTEGER      NOT NULL,
    hidden       SMALLINT     NOT NULL DEFAULT 0     -- 1: removed by a moderator (soft delete)
);
CREATE INDEX ix_pm_sent ON pm (sent_epoch, pm_no);

-- how far each side of a private conversation has read
CREATE TABLE pm_seen (
    handle      VARCHAR(40) NOT NULL REFERENCES member,
    peer        VARCHAR(40) NOT NULL REFERENCES member,
    seen_epoch  INTEGER     NOT NULL,
    PRIMARY KEY (handle, peer)
);

-- access: 'O' open, 'I' invite only, 'M' meeting room, 'S' stage (a live broadcast room)
CREATE TABLE club (
    club_no        INTEGER      PRIMARY KEY,
    title          VARCHAR(100) NOT NULL,
    blurb          TEXT,
    house_rules    TEXT,
    logo           VARCHAR(200),
    founder        VARCHAR(40)  NOT NULL REFERENCES member,
    access         CHAR(1)      NOT NULL,
    founded_epoch  INTEGER      NOT NULL,
    closed_epoch   INTEGER                          -- closed clubs stay behind (soft delete)
);

-- rank: 9 founder, 5 moderator, 1 member
CREATE TABLE club_seat (
    club_no         INTEGER     NOT NULL REFERENCES club,
    handle          VARCHAR(40) NOT NULL REFERENCES member,
    rank            SMALLINT    NOT NULL,
    seated_epoch    INTEGER     NOT NULL,
    last_read_post  BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (club_no, handle)
);

CREATE TABLE club_post (
    post_no       BIGINT       PRIMARY KEY,
    club_no       INTEGER      NOT NULL REFERENCES club,
    author        VARCHAR(40)  NOT NULL REFERENCES member,
    ctype         SMALLINT     NOT NULL,
    txt           TEXT,
    media_url     VARCHAR(300),
    media_w       INTEGER,
    media_h       INTEGER,
    media_bytes   INTEGER,
    media_secs    INTEGER,
    lat           DOUBLE PRECISION,
    lng           DOUBLE PRECISION,
    posted_epoch  INTEGER      NOT NULL,
    hidden        SMALLINT     NOT NULL DEFAULT 0
);
CREATE INDEX ix_club_post_club ON club_post (club_no, posted_epoch, post_no);
