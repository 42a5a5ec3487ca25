package org.imsmooth.sandbox.state;

import java.util.List;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** One-way friendships as friend_import writes them. */
@Component
@ConditionalOnSandbox
public class FriendStore {

    /** A stored friend entry; list-valued fields are kept as JSON text. */
    public record Friend(String peer, String addSource, String remark, String groupNamesJson, long addTime,
                         String addWording, String customItemsJson) {
    }

    private final JdbcTemplate jdbc;

    public FriendStore(SandboxDatabase db) {
        this.jdbc = db.jdbc();
    }

    public void upsert(String owner, Friend f) {
        jdbc.update("MERGE INTO sb_friend (owner, peer, add_source, remark, group_names, add_time, add_wording, custom_items) "
                + "KEY (owner, peer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", owner, f.peer(), f.addSource(), f.remark(),
                f.groupNamesJson(), f.addTime(), f.addWording(), f.customItemsJson());
    }

    public int count(String owner) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM sb_friend WHERE owner = ?", Integer.class, owner);
        return n == null ? 0 : n;
    }

    public List<Friend> page(String owner, int offset, int limit) {
        return jdbc.query("SELECT peer, add_source, remark, group_names, add_time, add_wording, custom_items "
                + "FROM sb_friend WHERE owner = ? ORDER BY peer LIMIT ? OFFSET ?",
                (rs, i) -> new Friend(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7)), owner, limit, offset);
    }
}
