-- Deterministic demo data for samples/mysql/schema.sql (MySQL 8 / MariaDB 10.6+): no RAND(), so
-- every load gives the same rows and the counts in README.md hold. Times are Unix ms in 2025.
-- A throwaway numbers table (1..400) drives the generated rows; it is dropped at the end.
CREATE TABLE seed_numbers (n INT NOT NULL PRIMARY KEY);
INSERT INTO seed_numbers (n)
WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 400)
SELECT n FROM s;

-- 40 users, uid 10001..10040. 10007 is banned (still migrated); 10030 cancelled their account.
INSERT INTO t_user (uid, account, nickname, avatar, sex, birthday, region, sign, vip_level, add_friend_verify,
                    status, create_time, update_time)
SELECT 10000 + n, CONCAT('acct_', n), CASE WHEN n = 3 THEN '小明' ELSE CONCAT('Nick ', n) END,
       CONCAT('https://img.example.com/a/', n, '.jpg'), n % 3,
       CASE WHEN n % 5 = 0 THEN NULL ELSE CONCAT(1980 + n, '0', 1 + n % 9, '1', n % 10) END,
       CASE WHEN n % 2 = 0 THEN 'Beijing' ELSE 'Hangzhou' END,
       CASE WHEN n % 4 = 0 THEN CONCAT('sign of ', n) END, n % 4, n % 3,
       CASE n WHEN 7 THEN 2 WHEN 30 THEN 3 ELSE 1 END,
       1735689600000 + n * 3600000, 1735689600000 + n * 3600000
FROM seed_numbers WHERE n <= 40;

-- Each user befriended the next two (wrapping around): a row in each user's list. Some users removed
-- the friend from their own list afterwards (status 2), which IM imports one way only.
INSERT INTO t_friend (uid, friend_uid, remark, source, status, create_time)
SELECT 10000 + a.n, 10000 + (a.n - 1 + k.n) % 40 + 1, CASE WHEN a.n % 6 = 0 THEN CONCAT('buddy ', k.n) END,
       ELT(1 + a.n % 4, 'search', 'qrcode', 'group', 'contacts'),
       CASE WHEN (a.n + k.n) % 9 = 0 THEN 2 ELSE 1 END, 1738368000000 + (a.n * 2 + k.n) * 600000
FROM seed_numbers a JOIN seed_numbers k ON k.n <= 2 WHERE a.n <= 40;
INSERT INTO t_friend (uid, friend_uid, remark, source, status, create_time)
SELECT 10000 + (a.n - 1 + k.n) % 40 + 1, 10000 + a.n, NULL,
       ELT(1 + a.n % 4, 'search', 'qrcode', 'group', 'contacts'), 1, 1738368000000 + (a.n * 2 + k.n) * 600000
FROM seed_numbers a JOIN seed_numbers k ON k.n <= 2 WHERE a.n <= 40;

-- 6 groups: 500001 normal, 500002 public, 500003 chat room, 500004 normal, 500005 live (IM cannot
-- import a live room: dead-lettered, with its members and messages), 500006 dismissed (left behind).
INSERT INTO t_group (group_id, group_name, group_type, owner_uid, intro, notice, max_member, join_mode, status, create_time)
SELECT 500000 + n, CASE WHEN n = 4 THEN 'Team 🚀 4' ELSE CONCAT('Group ', n) END, ELT(n, 1, 2, 3, 1, 4, 2),
       10000 + (n * 5) % 40 + 1, CONCAT('About group ', n), CASE WHEN n % 2 = 0 THEN CONCAT('Notice ', n) END,
       500, n % 3, CASE WHEN n = 6 THEN 2 ELSE 1 END, 1738368000000 + n * 86400000
FROM seed_numbers WHERE n <= 6;

-- 10 members per group: owner, one admin, eight members (the cancelled 10030 is one of group 500001's).
INSERT INTO t_group_user (group_id, uid, role, join_time)
SELECT 500000 + g.n, 10000 + (g.n * 5 + (j.n - 1) * 4) % 40 + 1, CASE j.n WHEN 1 THEN 2 WHEN 2 THEN 1 ELSE 0 END,
       1738368000000 + g.n * 86400000 + j.n * 60000
FROM seed_numbers g JOIN seed_numbers j ON j.n <= 10 WHERE g.n <= 6;

-- 400 one-to-one messages, 0.6 s apart (many share a second), in 20 chats: chat c is between 10000+c
-- and 10020+c, so chat 10 involves the cancelled 10030 (its 20 messages are dead-lettered: unknown
-- user). Messages 2000100 and 2000101 were recalled (left behind).
INSERT INTO t_chat_msg (msg_id, chat_type, from_uid, to_id, msg_type, content, is_recalled, create_time)
SELECT 2000000 + n, 1,
       CASE WHEN (n DIV 20) % 2 = 0 THEN 10000 + (n - 1) % 20 + 1 ELSE 10020 + (n - 1) % 20 + 1 END,
       CASE WHEN (n DIV 20) % 2 = 0 THEN 10020 + (n - 1) % 20 + 1 ELSE 10000 + (n - 1) % 20 + 1 END,
       CASE WHEN n % 35 = 0 THEN 6 WHEN n % 15 = 0 THEN 3 WHEN n % 10 = 0 THEN 2 ELSE 1 END,
       CASE WHEN n % 35 = 0 THEN CONCAT('{"lat":22.54', n % 10, ',"lng":114.05', n % 10, ',"name":"Shenzhen Bay"}')
            WHEN n % 15 = 0 THEN CONCAT('{"url":"https://img.example.com/v/', n, '.amr","duration":', 3 + n % 50, ',"size":', 4000 + n, '}')
            WHEN n % 10 = 0 THEN CONCAT('{"url":"https://img.example.com/m/', n, '.jpg","width":720,"height":1280,"size":', 80000 + n, '}')
            WHEN n = 7 THEN '你好 👋'
            ELSE CONCAT('Message ', n, ' in chat ', (n - 1) % 20 + 1) END,
       CASE WHEN n IN (100, 101) THEN 1 ELSE 0 END, 1740816000000 + (n - 1) * 600
FROM seed_numbers WHERE n <= 400;

-- 240 group messages, 0.1 s apart over the six groups (several per group share a second).
INSERT INTO t_chat_msg (msg_id, chat_type, from_uid, to_id, msg_type, content, is_recalled, create_time)
SELECT 3000000 + n, 2, 10000 + (((n - 1) % 6 + 1) * 5 + ((n * 3) % 10) * 4) % 40 + 1, 500000 + (n - 1) % 6 + 1,
       CASE WHEN n % 8 = 0 THEN 2 ELSE 1 END,
       CASE WHEN n % 8 = 0 THEN CONCAT('{"url":"https://img.example.com/g/', n, '.png","width":100,"height":100,"size":', 900 + n, '}')
            ELSE CONCAT('Group message ', n) END,
       0, 1741593600000 + (n - 1) * 100
FROM seed_numbers WHERE n <= 240;

-- Chat list rows. 1:1: both sides have read part of the chat, except that every fourth chat's second
-- user never opened it. Groups: unread badges per member (0 for the owner and the eighth member).
INSERT INTO t_chat_session (uid, chat_type, peer_id, last_read_time, unread_count, update_time)
SELECT 10000 + n, 1, 10020 + n, 1740816000000 + (300 + n) * 600, 5, 1740900000000
FROM seed_numbers WHERE n <= 20;
INSERT INTO t_chat_session (uid, chat_type, peer_id, last_read_time, unread_count, update_time)
SELECT 10020 + n, 1, 10000 + n, CASE WHEN n % 4 = 0 THEN 0 ELSE 1740816000000 + (350 + n) * 600 END,
       CASE WHEN n % 4 = 0 THEN 20 ELSE 3 END, 1740900000000
FROM seed_numbers WHERE n <= 20;
INSERT INTO t_chat_session (uid, chat_type, peer_id, last_read_time, unread_count, update_time)
SELECT 10000 + (g.n * 5 + (j.n - 1) * 4) % 40 + 1, 2, 500000 + g.n, 1741593600000, ((j.n - 1) * 3) % 7, 1741600000000
FROM seed_numbers g JOIN seed_numbers j ON j.n <= 10 WHERE g.n <= 6;

DROP TABLE seed_numbers;
