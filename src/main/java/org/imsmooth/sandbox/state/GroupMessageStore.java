package org.imsmooth.sandbox.state;

import java.util.List;
import java.util.Optional;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** Group history; (GroupId, MsgSeq) is the message's identity. */
@Component
@ConditionalOnSandbox
public class GroupMessageStore {

    /** A stored group message. */
    public record GroupMessage(String groupId, long seq, String from, long time, long random, String body, String cloudData) {
    }

    private static final RowMapper<GroupMessage> ROW = (rs, i) -> new GroupMessage(rs.getString(1), rs.getLong(2),
            rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7));
    private static final String COLS = "group_id, msg_seq, from_acct, msg_time, msg_random, body, cloud_data";

    private final JdbcTemplate jdbc;

    public GroupMessageStore(SandboxDatabase db) {
        this.jdbc = db.jdbc();
    }

    public void insert(GroupMessage m) {
        jdbc.update("INSERT INTO sb_group_msg (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", m.groupId(), m.seq(),
                m.from(), m.time(), m.random(), m.body(), m.cloudData());
    }

    /** A message with the same Random within ±window seconds of {@code time}: the documented duplicate rule. */
    public Optional<GroupMessage> sameRandomNear(String groupId, long random, long time, long windowSeconds) {
        return jdbc.query("SELECT " + COLS + " FROM sb_group_msg WHERE group_id = ? AND msg_random = ? "
                + "AND msg_time BETWEEN ? AND ? ORDER BY msg_seq LIMIT 1", ROW, groupId, random,
                time - windowSeconds, time + windowSeconds).stream().findFirst();
    }

    /** Messages with seq ≤ maxSeq, newest first. */
    public List<GroupMessage> newestFirst(String groupId, long maxSeq, int limit) {
        return jdbc.query("SELECT " + COLS + " FROM sb_group_msg WHERE group_id = ? AND msg_seq <= ? "
                + "ORDER BY msg_seq DESC LIMIT ?", ROW, groupId, maxSeq, limit);
    }

    public long newestTime(String groupId) {
        Long t = jdbc.queryForObject("SELECT COALESCE(MAX(msg_time), 0) FROM sb_group_msg WHERE group_id = ?",
                Long.class, groupId);
        return t == null ? 0 : t;
    }
}
