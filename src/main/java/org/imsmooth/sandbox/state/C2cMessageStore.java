package org.imsmooth.sandbox.state;

import java.util.List;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One-to-one history. The unique key (conversation, MsgSeq, MsgRandom, MsgTimeStamp) is the documented
 * importmsg dedup rule; the conversation key is order-independent so From/To swapped also collides.
 */
@Component
@ConditionalOnSandbox
public class C2cMessageStore {

    /** A stored C2C message; body and cloud data as JSON/text. */
    public record C2cMessage(String from, String to, long seq, long random, long time, String body, String cloudData) {
        public String msgKey() { return seq + "_" + random + "_" + time; }
    }

    private final JdbcTemplate jdbc;

    public C2cMessageStore(SandboxDatabase db) {
        this.jdbc = db.jdbc();
    }

    public static String conversation(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "\n" + b : b + "\n" + a;
    }

    /** @return false when the message is a duplicate (the first one stays unchanged) */
    public boolean insert(C2cMessage m, boolean unread) {
        try {
            jdbc.update("INSERT INTO sb_c2c_msg (conv, from_acct, to_acct, msg_seq, msg_random, msg_time, body, cloud_data, unread) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", conversation(m.from(), m.to()), m.from(), m.to(), m.seq(),
                    m.random(), m.time(), m.body(), m.cloudData(), unread);
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * Newest-first slice of a conversation inside [minTime, maxTime], strictly older than the cursor
     * (cursorTime, cursorSeq, cursorRandom) when one is given.
     */
    public List<C2cMessage> newestFirst(String a, String b, long minTime, long maxTime, long[] cursor, int limit) {
        String sql = "SELECT from_acct, to_acct, msg_seq, msg_random, msg_time, body, cloud_data FROM sb_c2c_msg "
                + "WHERE conv = ? AND msg_time >= ? AND msg_time <= ? "
                + (cursor == null ? "" : "AND (msg_time < ? OR (msg_time = ? AND (msg_seq < ? OR (msg_seq = ? AND msg_random < ?)))) ")
                + "ORDER BY msg_time DESC, msg_seq DESC, msg_random DESC LIMIT ?";
        Object[] args = cursor == null
                ? new Object[] {conversation(a, b), minTime, maxTime, limit}
                : new Object[] {conversation(a, b), minTime, maxTime, cursor[0], cursor[0], cursor[1], cursor[1], cursor[2], limit};
        return jdbc.query(sql, (rs, i) -> new C2cMessage(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7)), args);
    }

    public void markRead(String reportAccount, String peer, long readTime) {
        jdbc.update("MERGE INTO sb_c2c_read (report_acct, peer_acct, read_time) KEY (report_acct, peer_acct) VALUES (?, ?, ?)",
                reportAccount, peer, readTime);
        jdbc.update("UPDATE sb_c2c_msg SET unread = FALSE WHERE conv = ? AND to_acct = ? AND msg_time <= ? AND unread",
                conversation(reportAccount, peer), reportAccount, readTime);
    }

    /** Read mark of {@code reader} on the conversation with {@code peer}; 0 when never read. */
    public long readTime(String reader, String peer) {
        List<Long> l = jdbc.queryForList("SELECT read_time FROM sb_c2c_read WHERE report_acct = ? AND peer_acct = ?",
                Long.class, reader, peer);
        return l.isEmpty() ? 0 : l.get(0);
    }

    /** Total unread C2C messages of a receiver (the after-send callback reports it). */
    public long unreadTotal(String receiver) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM sb_c2c_msg WHERE to_acct = ? AND unread", Long.class, receiver);
        return n == null ? 0 : n;
    }
}
