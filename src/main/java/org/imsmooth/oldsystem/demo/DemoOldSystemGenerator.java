package org.imsmooth.oldsystem.demo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * Creates the reference old-system schema and fills it with a deterministic demo chat history, so a
 * fresh machine has something to migrate. Runs only on a database the demo may write into
 * ({@link DemoDatabase}: the embedded default, or an empty one with {@code OLD_SYSTEM_DEMO=true}) and
 * when the users table is empty (a restart never regenerates over existing data).
 */
@Component
@ConditionalOnExpression("!'${oldsystem.demo.enabled:auto}'.trim().equalsIgnoreCase('false')"
        + " && !'${oldsystem.kind:sql}'.trim().equalsIgnoreCase('files')")
public class DemoOldSystemGenerator implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(DemoOldSystemGenerator.class);
    private static final String[] KINDS = {"text", "text", "text", "text", "image", "file", "sound", "video", "location", "face", "custom"};
    private static final String[] GROUP_KINDS = {"public", "private", "chatroom", "private"};

    private final DataSource oldSystem;
    private final DemoOldSystemProperties size;
    private final String url;

    public DemoOldSystemGenerator(@Qualifier("oldSystemDataSource") DataSource oldSystem, DemoOldSystemProperties size,
                                  @Value("${oldsystem.datasource.url:}") String url) {
        this.oldSystem = oldSystem;
        this.size = size;
        this.url = url;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        String setting = DemoDatabase.setting(size.enabled());
        if (!DemoDatabase.wanted(setting, url)) {
            LOG.info("Demo old system off: {} is not a database this service created (set OLD_SYSTEM_DEMO=true for an empty one)",
                    DemoDatabase.JdbcUrls.withoutSecrets(url));
            return;
        }
        // checked at startup already (ops.security.StartupChecks); again here, on the pool the demo writes through
        try (Connection c = oldSystem.getConnection()) {
            DemoDatabase.checkWritable(c, setting, url);
            DemoDatabase.mark(c);
        }
        new ResourceDatabasePopulator(new ClassPathResource("oldsystem/reference-schema.sql")).execute(oldSystem);
        Integer existing = new JdbcTemplate(oldSystem).queryForObject("SELECT COUNT(*) FROM users", Integer.class);
        if (existing != null && existing > 0) {
            LOG.info("Demo old system already holds {} users; not regenerating", existing);
            return;
        }
        Random random = new Random(size.seed());
        // All history lies in the past, ending an hour ago, so IM's "not in the future" rules hold.
        Instant end = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant start = end.minus(60, ChronoUnit.DAYS);
        try (Connection c = oldSystem.getConnection()) {
            c.setAutoCommit(false);
            users(c, random, start);
            friendships(c, random, start, end);
            messages(c, random, start, end);
            groups(c, random, start, end);
            if (size.invalidRecords()) {
                invalidRecords(c, end);
            }
            c.commit();
        }
        LOG.info("Demo old system generated: {} users, {} messages, {} groups, {} group messages",
                size.users(), size.messages(), size.groups(), size.groupMessages());
    }

    private void users(Connection c, Random r, Instant start) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, username, nickname, avatar_url, gender, birthday, "
                + "location, signature, allow_friend, language, level, role, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (int id = 1; id <= size.users(); id++) {
                ps.setLong(1, id);
                ps.setString(2, "user" + id + "@demo.example.com");
                ps.setString(3, id % 7 == 0 ? "用户" + id : "User " + id);
                ps.setString(4, id % 3 == 0 ? null : "https://cdn.demo.example.com/avatar/" + id + ".png");
                ps.setString(5, new String[] {"male", "female", null}[id % 3]);
                ps.setObject(6, LocalDate.of(1970 + r.nextInt(40), 1 + r.nextInt(12), 1 + r.nextInt(28)));
                ps.setString(7, id % 4 == 0 ? "Shenzhen" : null);
                ps.setString(8, "Hello, I am user " + id);
                ps.setString(9, new String[] {"any", "confirm", "deny"}[id % 3]);
                ps.setInt(10, id % 2);
                ps.setInt(11, r.nextInt(10));
                ps.setInt(12, id % 5 == 0 ? 1 : 0);
                ps.setTimestamp(13, Timestamp.from(start.minus(r.nextInt(300), ChronoUnit.DAYS)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void friendships(Connection c, Random r, Instant start, Instant end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO friendships (user_id, friend_id, remark, group_name, source, created_at) VALUES (?,?,?,?,?,?)")) {
            for (int user = 1; user <= size.users(); user++) {
                Set<Integer> friends = new LinkedHashSet<>();
                while (friends.size() < Math.min(size.friendsPerUser(), size.users() - 1)) {
                    int friend = 1 + r.nextInt(size.users());
                    if (friend != user) {
                        friends.add(friend);
                    }
                }
                for (int friend : friends) {
                    ps.setLong(1, user);
                    ps.setLong(2, friend);
                    ps.setString(3, friend % 4 == 0 ? "Buddy " + friend : null);
                    ps.setString(4, friend % 2 == 0 ? "Work" : "Family");
                    ps.setString(5, new String[] {"search", "qr", "group"}[friend % 3]);
                    ps.setTimestamp(6, Timestamp.from(between(r, start, end)));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private void messages(Connection c, Random r, Instant start, Instant end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)");
             PreparedStatement read = c.prepareStatement("INSERT INTO read_receipts (user_id, peer_id, read_at) VALUES (?,?,?)")) {
            // newest read time per (reader, peer): the old system keeps one read mark per conversation side
            Map<String, Instant> readMarks = new HashMap<>();
            for (int id = 1; id <= size.messages(); id++) {
                int sender = 1 + r.nextInt(size.users());
                int receiver = 1 + (sender + r.nextInt(Math.max(1, size.users() - 1))) % size.users();
                if (receiver == sender) {
                    receiver = sender % size.users() + 1;
                }
                String kind = KINDS[r.nextInt(KINDS.length)];
                Instant sentAt = between(r, start, end);
                ps.setLong(1, id);
                ps.setLong(2, sender);
                ps.setLong(3, receiver);
                ps.setString(4, kind);
                ps.setString(5, body(kind, id));
                ps.setTimestamp(6, Timestamp.from(sentAt));
                ps.addBatch();
                if (id % 3 == 0) {
                    readMarks.merge(receiver + ":" + sender, sentAt.plusSeconds(60), (a, b) -> a.isAfter(b) ? a : b);
                }
                if (id % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            for (Map.Entry<String, Instant> mark : readMarks.entrySet()) {
                String[] pair = mark.getKey().split(":");
                read.setLong(1, Long.parseLong(pair[0]));
                read.setLong(2, Long.parseLong(pair[1]));
                read.setTimestamp(3, Timestamp.from(mark.getValue().isAfter(end) ? end : mark.getValue()));
                read.addBatch();
            }
            read.executeBatch();
        }
    }

    private void groups(Connection c, Random r, Instant start, Instant end) throws SQLException {
        long messageId = 1;
        try (PreparedStatement g = c.prepareStatement("INSERT INTO chat_groups (id, name, kind, owner_id, introduction, "
                + "notification, avatar_url, max_members, join_policy, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement m = c.prepareStatement(
                     "INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (?,?,?,?,?)");
             PreparedStatement gm = c.prepareStatement(
                     "INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)")) {
            int perGroup = Math.max(1, size.groupMessages() / Math.max(1, size.groups()));
            for (int id = 1; id <= size.groups(); id++) {
                Instant created = between(r, start, start.plus(10, ChronoUnit.DAYS));
                int owner = 1 + r.nextInt(size.users());
                g.setLong(1, id);
                // every fifth name is long Chinese text, over IM's 30-byte group name limit
                g.setString(2, id % 5 == 0 ? "深圳产品研发中心第" + id + "小组讨论群" : "Group " + id);
                g.setString(3, GROUP_KINDS[id % GROUP_KINDS.length]);
                g.setLong(4, owner);
                g.setString(5, "About group " + id);
                g.setString(6, id % 2 == 0 ? "Welcome to group " + id : null);
                g.setString(7, null);
                g.setInt(8, 500);
                g.setString(9, new String[] {"free", "approval", "closed"}[id % 3]);
                g.setTimestamp(10, Timestamp.from(created));
                g.addBatch();
                Set<Integer> members = new LinkedHashSet<>();
                members.add(owner);
                while (members.size() < Math.min(size.membersPerGroup(), size.users())) {
                    members.add(1 + r.nextInt(size.users()));
                }
                Instant lastMessage = created;
                for (int i = 0; i < perGroup; i++) {
                    lastMessage = between(r, lastMessage, lastMessage.plus(2, ChronoUnit.HOURS));
                    int sender = members.stream().skip(r.nextInt(members.size())).findFirst().orElse(owner);
                    String kind = KINDS[r.nextInt(KINDS.length)];
                    gm.setLong(1, messageId);
                    gm.setLong(2, id);
                    gm.setLong(3, sender);
                    gm.setString(4, kind);
                    gm.setString(5, body(kind, messageId));
                    gm.setTimestamp(6, Timestamp.from(lastMessage.isAfter(end) ? end : lastMessage));
                    gm.addBatch();
                    messageId++;
                }
                for (int user : members) {
                    m.setLong(1, id);
                    m.setLong(2, user);
                    m.setString(3, user == owner ? "owner" : user % 6 == 0 ? "admin" : "member");
                    m.setTimestamp(4, Timestamp.from(created.plus(1 + r.nextInt(3600), ChronoUnit.SECONDS)));
                    m.setInt(5, r.nextInt(Math.min(perGroup, 10) + 1));
                    m.addBatch();
                }
            }
            g.executeBatch();
            m.executeBatch();
            gm.executeBatch();
        }
    }

    /** Rows that must be rejected before any IM call, each for a different documented reason. */
    private void invalidRecords(Connection c, Instant end) throws SQLException {
        long group = size.groups() + 1;
        long message = size.messages() + 1;
        try (PreparedStatement g = c.prepareStatement("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (?,?,?,?,?)");
             PreparedStatement m = c.prepareStatement(
                     "INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)")) {
            g.setLong(1, group);
            g.setString(2, "Live stream");
            g.setString(3, "live"); // AVChatRoom: IM refuses to import it
            g.setLong(4, 1);
            g.setTimestamp(5, Timestamp.from(end.minus(5, ChronoUnit.DAYS)));
            g.executeUpdate();
            Object[][] rows = {
                {message, 1L, 2L, "text", " ", end.minus(1, ChronoUnit.DAYS)},            // empty body
                {message + 1, 999_999L, 2L, "text", "hello", end.minus(1, ChronoUnit.DAYS)}, // unknown sender
                {message + 2, 1L, 2L, "text", "from the future", end.plus(30, ChronoUnit.DAYS)},
            };
            for (Object[] row : rows) {
                m.setLong(1, (Long) row[0]);
                m.setLong(2, (Long) row[1]);
                m.setLong(3, (Long) row[2]);
                m.setString(4, (String) row[3]);
                m.setString(5, (String) row[4]);
                m.setTimestamp(6, Timestamp.from((Instant) row[5]));
                m.executeUpdate();
            }
        }
    }

    private static String body(String kind, long id) {
        return switch (kind) {
            case "text" -> id % 9 == 0 ? "你好，消息 " + id : "Message " + id;
            case "image" -> "{\"url\":\"https://cdn.demo.example.com/img/" + id + ".jpg\",\"width\":640,\"height\":480,\"size\":52000}";
            case "file" -> "{\"url\":\"https://cdn.demo.example.com/f/" + id + ".pdf\",\"name\":\"report-" + id + ".pdf\",\"size\":120000}";
            case "sound" -> "{\"url\":\"https://cdn.demo.example.com/s/" + id + ".m4a\",\"seconds\":7,\"size\":30000}";
            case "video" -> "{\"url\":\"https://cdn.demo.example.com/v/" + id + ".mp4\",\"seconds\":12,\"size\":900000,"
                    + "\"thumb\":\"https://cdn.demo.example.com/v/" + id + ".jpg\"}";
            case "location" -> "{\"desc\":\"Tencent Binhai Tower\",\"latitude\":22.5225,\"longitude\":113.9353}";
            case "face" -> "{\"index\":" + (id % 20) + ",\"data\":\"smile\"}";
            default -> "{\"data\":\"" + new String(("order:" + id).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                    + "\",\"desc\":\"Order card\"}";
        };
    }

    private static Instant between(Random r, Instant from, Instant to) {
        long span = Math.max(1, to.getEpochSecond() - from.getEpochSecond());
        return from.plusSeconds((long) (r.nextDouble() * span));
    }
}
