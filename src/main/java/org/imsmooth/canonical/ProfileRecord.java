package org.imsmooth.canonical;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A user's profile as the old-system mapping delivers it (columns {@code source_id, nick, gender,
 * birthday, location, signature, allow_type, face_url, language, level, role} and any
 * {@code custom_<keyword>} columns). Values stay as the old system has them; the import maps them.
 *
 * @param birthday ISO date (yyyy-mm-dd), may be null
 * @param custom   values of the {@code custom_<keyword>} columns by lower-case keyword
 */
public record ProfileRecord(String sourceId, String nick, String gender, String birthday, String location,
                            String signature, String allowType, String faceUrl, Long language, Long level, Long role,
                            Map<String, String> custom) implements CanonicalRecord {

    static final String CUSTOM_PREFIX = "custom_";

    public static ProfileRecord fromRow(Map<String, Object> row) {
        Object id = row.get("source_id");
        if (id == null) {
            throw new RejectedRecordException(null, "profile row has no source_id column: " + row.keySet());
        }
        Map<String, String> custom = new TreeMap<>();
        row.forEach((column, value) -> {
            if (column.startsWith(CUSTOM_PREFIX) && text(value) != null) {
                custom.put(column.substring(CUSTOM_PREFIX.length()).toLowerCase(Locale.ROOT), text(value));
            }
        });
        return new ProfileRecord(String.valueOf(id), text(row.get("nick")), text(row.get("gender")), date(row.get("birthday")),
                text(row.get("location")), text(row.get("signature")), text(row.get("allow_type")), text(row.get("face_url")),
                number(row.get("language")), number(row.get("level")), number(row.get("role")), custom);
    }

    private static String date(Object value) {
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toLocalDate().toString();
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        return text(value);
    }

    private static Long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String t = text(value);
        return t == null ? null : Long.valueOf(t.trim());
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
