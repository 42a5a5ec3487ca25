package org.imsmooth.canonical;

import java.util.Map;

/**
 * A group membership (columns {@code group_id, user_id, role, joined_at, group_created_at}).
 * {@code groupCreatedAt} comes from the group's own row, so a JoinTime IM would refuse is rejected
 * before the call; it is null when the group is unknown to the old system.
 *
 * @param sourceId       {@code <group_id>:<user_id>}
 * @param role           owner / admin / member
 * @param joinedAt       Unix seconds
 * @param groupCreatedAt Unix seconds
 */
public record GroupMemberRecord(String sourceId, String groupId, String userId, String role, Long joinedAt,
                                Long groupCreatedAt) implements GroupScopedRecord {

    public static GroupMemberRecord fromRow(Map<String, Object> row) {
        OldSystemRow r = new OldSystemRow(row);
        String groupId = r.required("group_id", "group member");
        String userId = r.required("user_id", "group member");
        return new GroupMemberRecord(groupId + ":" + userId, groupId, userId, r.text("role"), r.epochSeconds("joined_at"),
                r.epochSeconds("group_created_at"));
    }
}
