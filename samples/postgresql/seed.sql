-- Deterministic demo data for samples/postgresql/schema.sql (no random(): every run gives the same
-- rows, so the counts in README.md hold). History lies in 2025, before "now".
-- 40 users; users 39 and 40 never filled in a profile.
INSERT INTO app_user (id, handle, email, created_at)
SELECT n, 'user' || n, 'user' || n || '@example.com', TIMESTAMPTZ '2025-01-01 08:00:00+00' + n * INTERVAL '1 hour'
FROM generate_series(1, 40) AS n;
SELECT setval(pg_get_serial_sequence('app_user', 'id'), 40);

INSERT INTO user_profile (user_id, display_name, avatar_url, gender, birth_date, city, bio, friend_policy)
SELECT n, 'User ' || n, 'https://cdn.example.com/avatar/' || n || '.png',
       CASE n % 3 WHEN 0 THEN 'F' WHEN 1 THEN 'M' END,
       DATE '1990-01-01' + n * 100, CASE WHEN n % 2 = 0 THEN 'Shenzhen' ELSE 'Singapore' END,
       CASE WHEN n % 4 = 0 THEN 'Hello, I am user ' || n END,
       (ARRAY['open', 'approve', 'closed'])[1 + n % 3]
FROM generate_series(1, 38) AS n;

-- Each user asked the next three users (wrapping around); some requests are pending or declined.
INSERT INTO friendship (requester_id, addressee_id, status, requested_at, accepted_at)
SELECT n, (n - 1 + k) % 40 + 1,
       CASE WHEN (n + k) % 5 = 0 THEN 'pending' WHEN (n + k) % 7 = 0 THEN 'declined' ELSE 'accepted' END,
       TIMESTAMPTZ '2025-02-01 10:00:00+00' + (n * 3 + k) * INTERVAL '10 minutes',
       CASE WHEN (n + k) % 5 <> 0 AND (n + k) % 7 <> 0
            THEN TIMESTAMPTZ '2025-02-01 12:00:00+00' + (n * 3 + k) * INTERVAL '10 minutes' END
FROM generate_series(1, 40) AS n, generate_series(1, 3) AS k;

-- 30 direct chats: chat c is between user c and user c + 10.
INSERT INTO conversation (id, kind, created_at)
SELECT c, 'direct', TIMESTAMPTZ '2025-02-20 08:00:00+00' + c * INTERVAL '1 hour'
FROM generate_series(1, 30) AS c;
INSERT INTO conversation_member (conversation_id, user_id, joined_at)
SELECT c, u, TIMESTAMPTZ '2025-02-20 08:00:00+00' + c * INTERVAL '1 hour'
FROM generate_series(1, 30) AS c, LATERAL (VALUES (c), (c + 10)) AS m(u);

-- 6 groups (101..106); group 103 has a name over IM's 30-byte limit (imported cut, and reported);
-- group 106 is archived and stays behind.
INSERT INTO conversation (id, kind, title, owner_id, description, announcement, is_public, member_limit, created_at, archived_at)
SELECT 100 + g, 'group', CASE WHEN g = 3 THEN '深圳产品研发中心第一小组讨论群' ELSE 'Group ' || g END,
       (g * 7) % 40 + 1, 'About group ' || g, CASE WHEN g % 2 = 0 THEN 'Welcome to group ' || g END,
       g % 2 = 1, 200, TIMESTAMPTZ '2025-02-01 09:00:00+00' + g * INTERVAL '1 day',
       CASE WHEN g = 6 THEN TIMESTAMPTZ '2025-06-01 00:00:00+00' END
FROM generate_series(1, 6) AS g;
SELECT setval(pg_get_serial_sequence('conversation', 'id'), 106);

-- 8 members per group: the owner, one admin, six members; odd members have read up to message 1150,
-- the third member of each group has read everything (no unread count to set).
INSERT INTO conversation_member (conversation_id, user_id, role, joined_at, last_read_message_id)
SELECT 100 + g, (g * 7 + j * 3) % 40 + 1,
       CASE j WHEN 0 THEN 'owner' WHEN 1 THEN 'admin' ELSE 'member' END,
       TIMESTAMPTZ '2025-02-01 09:00:00+00' + g * INTERVAL '1 day' + j * INTERVAL '1 hour',
       CASE WHEN j = 3 THEN 1210 WHEN j % 2 = 1 THEN 1150 END
FROM generate_series(1, 6) AS g, generate_series(0, 7) AS j;

-- 300 direct messages, two per minute (so timestamps tie); every 10th an image, every 25th a file.
-- Message 151 is empty (IM refuses it: dead-lettered with its reason); 152 and 153 were deleted.
INSERT INTO message (id, conversation_id, sender_id, content_type, content, created_at, deleted_at)
SELECT i, c, CASE WHEN (i / 30) % 2 = 0 THEN c ELSE c + 10 END, t,
       CASE t WHEN 'text' THEN jsonb_build_object('text', CASE WHEN i = 151 THEN '' ELSE 'Message ' || i || ' in chat ' || c END)
              WHEN 'image' THEN jsonb_build_object('src', 'https://cdn.example.com/img/' || i || '.jpg', 'w', 640, 'h', 480, 'bytes', 20000 + i)
              ELSE jsonb_build_object('url', 'https://cdn.example.com/files/' || i || '.pdf', 'filename', 'report-' || i || '.pdf', 'bytes', 50000 + i) END,
       at, CASE WHEN i IN (152, 153) THEN at + INTERVAL '1 minute' END
FROM generate_series(1, 300) AS i,
     LATERAL (SELECT (i - 1) % 30 + 1 AS c,
                     CASE WHEN i % 25 = 0 THEN 'file' WHEN i % 10 = 0 THEN 'image' ELSE 'text' END AS t,
                     TIMESTAMPTZ '2025-03-01 08:00:00+00' + (i / 2) * INTERVAL '1 minute' AS at) AS x;

-- 210 group messages (1001..1210) spread over the six groups; within a group, pairs share a minute.
INSERT INTO message (id, conversation_id, sender_id, content_type, content, created_at)
SELECT 1000 + i, 100 + g, (g * 7 + ((i * 5) % 8) * 3) % 40 + 1, t,
       CASE t WHEN 'text' THEN jsonb_build_object('text', 'Group ' || g || ' message ' || i)
              ELSE jsonb_build_object('src', 'https://cdn.example.com/img/g' || i || '.jpg', 'w', 800, 'h', 600, 'bytes', 30000 + i) END,
       TIMESTAMPTZ '2025-03-10 08:00:00+00' + ((i - 1) / 12) * INTERVAL '1 minute'
FROM generate_series(1, 210) AS i,
     LATERAL (SELECT (i - 1) % 6 + 1 AS g, CASE WHEN i % 7 = 0 THEN 'image' ELSE 'text' END AS t) AS x;
SELECT setval(pg_get_serial_sequence('message', 'id'), 1210);

-- Receipts: the recipient of each of the first 270 direct messages read it two minutes later;
-- group owners' receipts exist too but are not 1:1 read marks.
INSERT INTO read_receipt (message_id, user_id, read_at)
SELECT m.id, cm.user_id, m.created_at + INTERVAL '2 minutes'
FROM message m JOIN conversation_member cm ON cm.conversation_id = m.conversation_id AND cm.user_id <> m.sender_id
WHERE m.conversation_id <= 30 AND m.id <= 270;
INSERT INTO read_receipt (message_id, user_id, read_at)
SELECT m.id, c.owner_id, m.created_at + INTERVAL '5 minutes'
FROM message m JOIN conversation c ON c.id = m.conversation_id AND c.kind = 'group'
WHERE m.sender_id <> c.owner_id;
