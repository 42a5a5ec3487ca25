-- IM sandbox state (its own H2 database). Idempotent: run at every start.
-- Bodies are VARCHAR, not CLOB: H2 keeps CLOBs in a LOB store whose cleanup task, queued at every statement's
-- end, was refused (and an exception built) thousands of times a second; IM's bodies are a few KB.
CREATE TABLE IF NOT EXISTS sb_account (
  user_id     VARCHAR(64) PRIMARY KEY,
  created_at  BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS sb_profile (
  user_id  VARCHAR(64) NOT NULL,
  tag      VARCHAR(64) NOT NULL,
  val      VARCHAR(2048) NOT NULL,
  is_int   BOOLEAN NOT NULL,
  PRIMARY KEY (user_id, tag)
);
CREATE TABLE IF NOT EXISTS sb_friend (
  owner        VARCHAR(64) NOT NULL,
  peer         VARCHAR(64) NOT NULL,
  add_source   VARCHAR(256) NOT NULL,
  remark       VARCHAR(1024),
  group_names  VARCHAR(4096),
  add_time     BIGINT NOT NULL,
  add_wording  VARCHAR(1024),
  custom_items VARCHAR(8192),
  PRIMARY KEY (owner, peer)
);
CREATE TABLE IF NOT EXISTS sb_c2c_msg (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  conv        VARCHAR(140) NOT NULL,
  from_acct   VARCHAR(64) NOT NULL,
  to_acct     VARCHAR(64) NOT NULL,
  msg_seq     BIGINT NOT NULL,
  msg_random  BIGINT NOT NULL,
  msg_time    BIGINT NOT NULL,
  body        VARCHAR(1000000) NOT NULL,
  cloud_data  VARCHAR(1000000),
  unread      BOOLEAN NOT NULL,
  -- importmsg's dedup tuple, in the order the roaming reads need (conversation, time, seq), so one index serves
  -- both: a second one on random conversations doubled the index pages each import rewrote
  CONSTRAINT sb_c2c_msg_dedup UNIQUE (conv, msg_time, msg_seq, msg_random)
);
CREATE TABLE IF NOT EXISTS sb_c2c_read (
  report_acct VARCHAR(64) NOT NULL,
  peer_acct   VARCHAR(64) NOT NULL,
  read_time   BIGINT NOT NULL,
  PRIMARY KEY (report_acct, peer_acct)
);
CREATE TABLE IF NOT EXISTS sb_group (
  group_id        VARCHAR(64) PRIMARY KEY,
  type            VARCHAR(16) NOT NULL,
  name            VARCHAR(128) NOT NULL,
  introduction    VARCHAR(1024),
  notification    VARCHAR(1024),
  face_url        VARCHAR(512),
  owner           VARCHAR(64),
  max_member_num  INT NOT NULL,
  apply_join      VARCHAR(32) NOT NULL,
  mute_all        VARCHAR(8) NOT NULL,
  create_time     BIGINT NOT NULL,
  next_msg_seq    BIGINT NOT NULL,
  last_msg_time   BIGINT NOT NULL,
  info_seq        BIGINT NOT NULL,
  last_info_time  BIGINT NOT NULL,
  app_data        VARCHAR(1000000)
);
CREATE TABLE IF NOT EXISTS sb_group_member (
  group_id   VARCHAR(64) NOT NULL,
  member     VARCHAR(64) NOT NULL,
  role       VARCHAR(16) NOT NULL,
  join_time  BIGINT NOT NULL,
  unread     BIGINT NOT NULL,
  last_send  BIGINT NOT NULL,
  PRIMARY KEY (group_id, member)
);
CREATE INDEX IF NOT EXISTS sb_group_member_member ON sb_group_member (member);
CREATE TABLE IF NOT EXISTS sb_group_msg (
  group_id    VARCHAR(64) NOT NULL,
  msg_seq     BIGINT NOT NULL,
  from_acct   VARCHAR(64) NOT NULL,
  msg_time    BIGINT NOT NULL,
  msg_random  BIGINT NOT NULL,
  body        VARCHAR(1000000) NOT NULL,
  cloud_data  VARCHAR(1000000),
  PRIMARY KEY (group_id, msg_seq)
);
CREATE INDEX IF NOT EXISTS sb_group_msg_random ON sb_group_msg (group_id, msg_random);
