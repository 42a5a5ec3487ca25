package org.imsmooth.canonical;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A group as the old-system mapping delivers it (columns {@code source_id, name, type, owner_id,
 * introduction, notification, face_url, max_members, join_policy, created_at} and optional
 * {@code app_<Key>} columns for AppDefinedData). Validation happens in the worker, so an invalid group
 * is dead-lettered with its reason instead of stopping the reader.
 *
 * @param type       public / private / chatroom / community / live
 * @param joinPolicy free / approval / closed
 * @param createdAt  Unix seconds
 */
public record GroupRecord(String sourceId, String name, String type, String ownerId, String introduction,
                          String notification, String faceUrl, Integer maxMembers, String joinPolicy, Long createdAt,
                          Map<String, String> appDefinedData) implements CanonicalRecord {

    static final String APP_DATA_PREFIX = "app_";

    public static GroupRecord fromRow(Map<String, Object> row) {
        OldSystemRow r = new OldSystemRow(row);
        Map<String, String> appData = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            if (column.startsWith(APP_DATA_PREFIX) && value != null) {
                appData.put(column.substring(APP_DATA_PREFIX.length()), value.toString());
            }
        });
        String type = r.text("type");
        return new GroupRecord(r.required("source_id", "group"), r.text("name"),
                type == null ? null : type.toLowerCase(Locale.ROOT), r.text("owner_id"), r.text("introduction"),
                r.text("notification"), r.text("face_url"), r.integer("max_members"), r.text("join_policy"),
                r.epochSeconds("created_at"), appData.isEmpty() ? null : appData);
    }
}
