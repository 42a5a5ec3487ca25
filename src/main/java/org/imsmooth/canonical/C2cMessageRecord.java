package org.imsmooth.canonical;

import java.util.Map;

/**
 * A one-to-one message (columns {@code source_id, from_id, to_id, kind, body, sent_at}).
 *
 * @param sentAt Unix seconds
 */
public record C2cMessageRecord(String sourceId, String fromId, String toId, String kind, String body, Long sentAt)
        implements OrderedRecord {

    public static C2cMessageRecord fromRow(Map<String, Object> row) {
        Object id = row.get("source_id");
        if (id == null) {
            throw new RejectedRecordException(null, "message row has no source_id column: " + row.keySet());
        }
        return new C2cMessageRecord(id.toString(), text(row.get("from_id")), text(row.get("to_id")), text(row.get("kind")),
                row.get("body") == null ? null : row.get("body").toString(), Times.epochSeconds(row.get("sent_at")));
    }

    /** The conversation: both old user ids, sorted, so each direction lands in the same one. */
    public String conversation() {
        return ConversationKey.of(fromId, toId);
    }

    @Override
    public String orderKey() {
        return conversation();
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
