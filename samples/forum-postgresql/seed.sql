-- Deterministic data for schema.sql (no random()): every load gives the same rows, so the counts in
-- README.md hold. Times are Unix seconds in 2025 (1735689600 = 2025-01-01 00:00:00 UTC).

-- 30 members member01..member30 and zoë, whose handle is not ASCII (IM UserIDs must be).
-- member30 closed their account (gone): they stay behind with their pals.
INSERT INTO member (handle, shown_as, avatar, sex, born_on, city, motto, karma, pal_policy, joined_epoch, gone)
SELECT 'member' || lpad(n::text, 2, '0'), 'Member ' || n,
       CASE WHEN n % 4 <> 0 THEN 'https://forum.example.org/av/' || n || '.png' END,
       substr('MFX', 1 + n % 3, 1), CASE WHEN n % 5 <> 0 THEN make_date(1970 + n, 1 + n % 12, 1 + n % 28) END,
       CASE WHEN n % 2 = 0 THEN 'Lyon' ELSE 'Porto' END, CASE WHEN n % 3 = 0 THEN 'motto of ' || n END,
       n * 10, n % 3, 1735689600 + n * 3600, n = 30
FROM generate_series(1, 30) AS n;
INSERT INTO member (handle, shown_as, sex, karma, pal_policy, joined_epoch)
VALUES ('zoë', 'Zoë', 'F', 5, 0, 1735689600 + 31 * 3600);

-- Each member's next two members are pals (wrapping around), a row in each one's list.
INSERT INTO pal (handle, pal_handle, nickname, circle, since_epoch)
SELECT 'member' || lpad(a::text, 2, '0'), 'member' || lpad(((a - 1 + k) % 30 + 1)::text, 2, '0'),
       CASE WHEN a % 5 = 0 THEN 'pal ' || k END, CASE WHEN k = 1 THEN 'Neighbours' END,
       1738368000 + a * 600 + k
FROM generate_series(1, 30) AS a, generate_series(1, 2) AS k;
INSERT INTO pal (handle, pal_handle, since_epoch)
SELECT 'member' || lpad(((a - 1 + k) % 30 + 1)::text, 2, '0'), 'member' || lpad(a::text, 2, '0'), 1738368000 + a * 600 + k
FROM generate_series(1, 30) AS a, generate_series(1, 2) AS k;
INSERT INTO pal (handle, pal_handle, since_epoch) VALUES ('zoë', 'member01', 1738400000), ('member01', 'zoë', 1738400000);

-- 240 private messages in 12 conversations (member c with member c+12), 20 each, two per second,
-- every content type in turn. Every 40th was removed by a moderator (hidden): left behind.
INSERT INTO pm (pm_no, author, addressee, ctype, txt, media_url, media_w, media_h, media_bytes, media_secs, lat, lng, sent_epoch, hidden)
SELECT n,
       'member' || lpad((CASE WHEN ((n - 1) / 12) % 2 = 0 THEN c ELSE c + 12 END)::text, 2, '0'),
       'member' || lpad((CASE WHEN ((n - 1) / 12) % 2 = 0 THEN c + 12 ELSE c END)::text, 2, '0'),
       t,
       CASE t WHEN 1 THEN 'Message ' || n WHEN 3 THEN 'notes-' || n || '.pdf' WHEN 5 THEN ':wave:'
              WHEN 6 THEN 'Meeting point ' || n WHEN 7 THEN 'Pizza or sushi?' END,
       CASE WHEN t IN (2, 3, 4) THEN 'https://forum.example.org/media/' || n || CASE t WHEN 2 THEN '.png' WHEN 3 THEN '.pdf' ELSE '.ogg' END END,
       CASE t WHEN 2 THEN 800 WHEN 5 THEN 3 END, CASE WHEN t = 2 THEN 600 END,
       CASE WHEN t IN (2, 3, 4) THEN 1000 * n END, CASE WHEN t = 4 THEN 5 + n % 20 END,
       CASE WHEN t = 6 THEN 45.76 END, CASE WHEN t = 6 THEN 4.83 END,
       1740787200 + n / 2, CASE WHEN n % 40 = 0 THEN 1 ELSE 0 END
FROM (SELECT n, 1 + (n - 1) % 12 AS c, 1 + (n - 1) % 7 AS t FROM generate_series(1, 240) AS n) AS g;
-- a text message with no text (refused: empty body) and three to or from zoë (refused with her)
INSERT INTO pm (pm_no, author, addressee, ctype, txt, sent_epoch) VALUES
    (241, 'member01', 'member13', 1, '', 1740787400),
    (242, 'zoë', 'member01', 1, 'Salut', 1740787401),
    (243, 'member01', 'zoë', 1, 'Bonjour', 1740787402),
    (244, 'zoë', 'member01', 1, 'Ça va ?', 1740787403);

-- both sides of each conversation have read up to its tenth message
INSERT INTO pm_seen (handle, peer, seen_epoch)
SELECT 'member' || lpad(c::text, 2, '0'), 'member' || lpad((c + 12)::text, 2, '0'), 1740787200 + (c + 108) / 2
FROM generate_series(1, 12) AS c;
INSERT INTO pm_seen (handle, peer, seen_epoch)
SELECT 'member' || lpad((c + 12)::text, 2, '0'), 'member' || lpad(c::text, 2, '0'), 1740787200 + (c + 108) / 2
FROM generate_series(1, 12) AS c;

-- 5 clubs: 1 open, 2 invite only (its title is 44 bytes: cut to IM's 30), 3 meeting room,
-- 4 a stage (a live room: IM imports none, refused with its seats, posts and unread counts),
-- 5 closed (left behind).
INSERT INTO club (club_no, title, blurb, house_rules, logo, founder, access, founded_epoch, closed_epoch)
SELECT c, CASE WHEN c = 2 THEN 'Invite-only club of the long-distance runners' ELSE 'Club ' || c END,
       'About club ' || c, CASE WHEN c % 2 = 1 THEN 'Be kind' END, 'https://forum.example.org/club/' || c || '.png',
       'member' || lpad((c * 5)::text, 2, '0'), substr('OIMSO', c, 1), 1738368000 + c * 86400,
       CASE WHEN c = 5 THEN 1745000000 END
FROM generate_series(1, 5) AS c;

-- 6 seats per club: the founder, a moderator and four members; each has read up to post 3 x seat
INSERT INTO club_seat (club_no, handle, rank, seated_epoch, last_read_post)
SELECT c, 'member' || lpad((c * 5 + j - 1)::text, 2, '0'), CASE j WHEN 1 THEN 9 WHEN 2 THEN 5 ELSE 1 END,
       1738368000 + c * 86400 + j * 60, c * 1000 + 3 * j
FROM generate_series(1, 5) AS c, generate_series(1, 6) AS j;

-- 20 posts per club, an hour apart, by its seats in turn; the 7th of each club was hidden
INSERT INTO club_post (post_no, club_no, author, ctype, txt, media_url, media_w, media_h, media_bytes, media_secs, lat, lng, posted_epoch, hidden)
SELECT c * 1000 + k, c, 'member' || lpad((c * 5 + (k - 1) % 6)::text, 2, '0'), t,
       CASE t WHEN 1 THEN 'Post ' || k || ' in club ' || c WHEN 3 THEN 'minutes-' || k || '.pdf' WHEN 5 THEN ':clap:'
              WHEN 6 THEN 'Start line' WHEN 7 THEN 'Next race?' END,
       CASE WHEN t IN (2, 3, 4) THEN 'https://forum.example.org/club/' || c || '/' || k || CASE t WHEN 2 THEN '.jpg' WHEN 3 THEN '.pdf' ELSE '.ogg' END END,
       CASE t WHEN 2 THEN 1024 WHEN 5 THEN 7 END, CASE WHEN t = 2 THEN 768 END,
       CASE WHEN t IN (2, 3, 4) THEN 2000 * k END, CASE WHEN t = 4 THEN 3 + k END,
       CASE WHEN t = 6 THEN 41.15 END, CASE WHEN t = 6 THEN -8.61 END,
       1738368000 + c * 86400 + 3600 * k, CASE WHEN k = 7 THEN 1 ELSE 0 END
FROM (SELECT c, k, 1 + (k + c) % 7 AS t FROM generate_series(1, 5) AS c, generate_series(1, 20) AS k) AS g;
