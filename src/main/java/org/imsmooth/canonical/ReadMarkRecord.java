package org.imsmooth.canonical;

import java.util.Map;

/**
 * How far one user read a one-to-one conversation (columns {@code user_id, peer_id, read_at}).
 *
 * @param readAt Unix seconds
 */
public record ReadMarkRecord(String userId, String peerId, Long readAt) implements CanonicalRecord {

    public static ReadMarkRecord fromRow(Map<String, Object> row) {
        if (row.get("user_id") == null || row.get("peer_id") == null) {
            throw new RejectedRecordException(null, "read mark row needs user_id and peer_id columns: " + row.keySet());
        }
        return new ReadMarkRecord(row.get("user_id").toString(), row.get("peer_id").toString(), Times.epochSeconds(row.get("read_at")));
    }

    /** The old id of a read mark: {@code <user_id>:<peer_id>}. */
    @Override
    public String sourceId() {
        return userId + ":" + peerId;
    }
}
