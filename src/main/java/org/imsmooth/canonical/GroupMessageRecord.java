package org.imsmooth.canonical;

import java.util.Map;

/**
 * A group message (columns {@code source_id, group_id, from_id, kind, body, sent_at, group_created_at}),
 * read per group in send order. {@code groupCreatedAt} lets a message older than its group be rejected
 * before the call.
 *
 * @param sentAt         Unix seconds
 * @param groupCreatedAt Unix seconds, null when the group is unknown to the old system
 */
public record GroupMessageRecord(String sourceId, String groupId, String fromId, String kind, String body, Long sentAt,
                                 Long groupCreatedAt) implements GroupScopedRecord {

    public static GroupMessageRecord fromRow(Map<String, Object> row) {
        OldSystemRow r = new OldSystemRow(row);
        Object body = row.get("body");
        return new GroupMessageRecord(r.required("source_id", "group message"), r.required("group_id", "group message"),
                r.text("from_id"), r.text("kind"), body == null ? null : body.toString(), r.epochSeconds("sent_at"),
                r.epochSeconds("group_created_at"));
    }
}
