package org.imsmooth.canonical;

import java.util.Map;

/**
 * One direction of a friendship (columns {@code user_id, friend_id, remark, group_name, add_source,
 * added_at}); IM friendships are imported one way, so the old system's rows map one to one.
 *
 * @param addedAt Unix seconds, may be null
 */
public record FriendRecord(String userId, String friendId, String remark, String groupName, String addSource, Long addedAt)
        implements OrderedRecord {

    public static FriendRecord fromRow(Map<String, Object> row) {
        if (row.get("user_id") == null || row.get("friend_id") == null) {
            throw new RejectedRecordException(null, "friend row needs user_id and friend_id columns: " + row.keySet());
        }
        return new FriendRecord(row.get("user_id").toString(), row.get("friend_id").toString(), text(row.get("remark")),
                text(row.get("group_name")), text(row.get("add_source")), Times.epochSeconds(row.get("added_at")));
    }

    /** The old id of a one-way friendship: {@code <user_id>:<friend_id>}. */
    @Override
    public String sourceId() {
        return userId + ":" + friendId;
    }

    /** A user's friends are imported in the old system's order. */
    @Override
    public String orderKey() {
        return userId;
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

}
