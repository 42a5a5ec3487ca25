package org.imsmooth.sandbox.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** Groups and their members. Message sequence numbers live on the group row (next_msg_seq). */
@Component
@ConditionalOnSandbox
public class GroupStore {

    /** A stored group; {@code appData} is a JSON object of AppDefinedData key → value. */
    public record Group(String groupId, String type, String name, String introduction, String notification,
                        String faceUrl, String owner, int maxMemberNum, String applyJoin, String muteAll,
                        long createTime, long nextMsgSeq, long lastMsgTime, long infoSeq, long lastInfoTime,
                        String appData) {
        /** Messages stored so far: seqs start at 1 and never skip. */
        public long messageCount() { return nextMsgSeq - 1; }
    }

    /** A stored member; {@code unread} is the member's unread count in this group. */
    public record Member(String groupId, String member, String role, long joinTime, long unread, long lastSend) {
    }

    private static final String GROUP_COLS = "group_id, type, name, introduction, notification, face_url, owner, "
            + "max_member_num, apply_join, mute_all, create_time, next_msg_seq, last_msg_time, info_seq, last_info_time, app_data";
    private static final RowMapper<Group> GROUP = (rs, i) -> new Group(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
            rs.getString(9), rs.getString(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14),
            rs.getLong(15), rs.getString(16));
    private static final RowMapper<Member> MEMBER = (rs, i) -> new Member(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
    private static final String MEMBER_COLS = "group_id, member, role, join_time, unread, last_send";

    private final JdbcTemplate jdbc;

    public GroupStore(SandboxDatabase db) {
        this.jdbc = db.jdbc();
    }

    public void insert(Group g) {
        jdbc.update("INSERT INTO sb_group (" + GROUP_COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                g.groupId(), g.type(), g.name(), g.introduction(), g.notification(), g.faceUrl(), g.owner(),
                g.maxMemberNum(), g.applyJoin(), g.muteAll(), g.createTime(), g.nextMsgSeq(), g.lastMsgTime(),
                g.infoSeq(), g.lastInfoTime(), g.appData());
    }

    public Optional<Group> find(String groupId) {
        List<Group> l = jdbc.query("SELECT " + GROUP_COLS + " FROM sb_group WHERE group_id = ?", GROUP, groupId);
        return l.stream().findFirst();
    }

    public boolean exists(String groupId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM sb_group WHERE group_id = ?", Integer.class, groupId);
        return n != null && n > 0;
    }

    /** Base info update; bumps InfoSeq. */
    public void updateBaseInfo(Group g, long now) {
        jdbc.update("UPDATE sb_group SET name = ?, introduction = ?, notification = ?, face_url = ?, max_member_num = ?, "
                + "apply_join = ?, mute_all = ?, app_data = ?, info_seq = info_seq + 1, last_info_time = ? WHERE group_id = ?",
                g.name(), g.introduction(), g.notification(), g.faceUrl(), g.maxMemberNum(), g.applyJoin(), g.muteAll(),
                g.appData(), now, g.groupId());
    }

    /** Reserves the next message seq; callers hold the group's lock. */
    public void advanceSeq(String groupId, long nextSeq, long lastMsgTime) {
        jdbc.update("UPDATE sb_group SET next_msg_seq = ?, last_msg_time = GREATEST(last_msg_time, ?) WHERE group_id = ?",
                nextSeq, lastMsgTime, groupId);
    }

    public void delete(String groupId) {
        jdbc.update("DELETE FROM sb_group_msg WHERE group_id = ?", groupId);
        jdbc.update("DELETE FROM sb_group_member WHERE group_id = ?", groupId);
        jdbc.update("DELETE FROM sb_group WHERE group_id = ?", groupId);
    }

    public void addMember(Member m) {
        jdbc.update("INSERT INTO sb_group_member (" + MEMBER_COLS + ") VALUES (?, ?, ?, ?, ?, ?)",
                m.groupId(), m.member(), m.role(), m.joinTime(), m.unread(), m.lastSend());
    }

    public Optional<Member> member(String groupId, String member) {
        return jdbc.query("SELECT " + MEMBER_COLS + " FROM sb_group_member WHERE group_id = ? AND member = ?",
                MEMBER, groupId, member).stream().findFirst();
    }

    /** Owner first, then by join time: the order the console shows. */
    public List<Member> members(String groupId) {
        return jdbc.query("SELECT " + MEMBER_COLS + " FROM sb_group_member WHERE group_id = ? "
                + "ORDER BY CASE role WHEN 'Owner' THEN 0 WHEN 'Admin' THEN 1 ELSE 2 END, join_time, member", MEMBER, groupId);
    }

    public int memberCount(String groupId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM sb_group_member WHERE group_id = ?", Integer.class, groupId);
        return n == null ? 0 : n;
    }

    public int removeMembers(String groupId, Collection<String> members) {
        int n = 0;
        for (String m : members) {
            n += jdbc.update("DELETE FROM sb_group_member WHERE group_id = ? AND member = ?", groupId, m);
        }
        return n;
    }

    public void setUnread(String groupId, String member, long unread) {
        jdbc.update("UPDATE sb_group_member SET unread = ? WHERE group_id = ? AND member = ?", unread, groupId, member);
    }

    public void resetAllUnread(String groupId) {
        jdbc.update("UPDATE sb_group_member SET unread = 0 WHERE group_id = ?", groupId);
    }

    /** A sent message is unread for everyone but its sender. */
    public void countSent(String groupId, String sender, long time, boolean unread) {
        if (unread) {
            jdbc.update("UPDATE sb_group_member SET unread = unread + 1 WHERE group_id = ? AND member <> ?", groupId, sender);
        }
        jdbc.update("UPDATE sb_group_member SET last_send = ? WHERE group_id = ? AND member = ?", time, groupId, sender);
    }

    /** Memberships of a user, joined with their groups. */
    public List<Object[]> memberships(String member) {
        List<Object[]> out = new ArrayList<>();
        jdbc.query("SELECT " + prefixed("g.", GROUP_COLS) + ", m.role, m.join_time, m.unread FROM sb_group_member m "
                + "JOIN sb_group g ON g.group_id = m.group_id WHERE m.member = ? ORDER BY m.join_time, g.group_id",
                rs -> {
                    Group g = GROUP.mapRow(rs, 0);
                    Member m = new Member(g.groupId(), member, rs.getString(17), rs.getLong(18), rs.getLong(19), 0);
                    out.add(new Object[] {g, m});
                }, member);
        return out;
    }

    private static String prefixed(String prefix, String cols) {
        StringBuilder sb = new StringBuilder();
        for (String c : cols.split(",\\s*")) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(prefix).append(c);
        }
        return sb.toString();
    }
}
