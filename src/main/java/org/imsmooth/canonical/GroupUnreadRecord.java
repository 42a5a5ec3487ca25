package org.imsmooth.canonical;

import java.util.Map;

/**
 * A member's unread count in a group (columns {@code group_id, user_id, unread}).
 *
 * @param sourceId {@code <group_id>:<user_id>}, the same id as the membership
 */
public record GroupUnreadRecord(String sourceId, String groupId, String userId, Integer unread) implements GroupScopedRecord {

    public static GroupUnreadRecord fromRow(Map<String, Object> row) {
        OldSystemRow r = new OldSystemRow(row);
        String groupId = r.required("group_id", "group unread count");
        String userId = r.required("user_id", "group unread count");
        return new GroupUnreadRecord(groupId + ":" + userId, groupId, userId, r.integer("unread"));
    }
}
