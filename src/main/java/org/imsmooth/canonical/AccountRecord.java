package org.imsmooth.canonical;

import java.util.Map;

/**
 * A user account as the old-system mapping delivers it (columns {@code source_id, nick, face_url}).
 *
 * @param sourceId the old system's user id
 * @param nick     display name, may be null
 * @param faceUrl  avatar URL, may be null
 */
public record AccountRecord(String sourceId, String nick, String faceUrl) implements CanonicalRecord {

    public static AccountRecord fromRow(Map<String, Object> row) {
        Object id = row.get("source_id");
        if (id == null) {
            throw new RejectedRecordException(null, "account row has no source_id column: " + row.keySet());
        }
        return new AccountRecord(String.valueOf(id), text(row.get("nick")), text(row.get("face_url")));
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
