package org.imsmooth.sync.toim;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.imsmooth.canonical.RejectedRecordException;

/**
 * One change of the old system on its way to IM (queue {@code im.sync.old-to-im}), from change
 * capture or from the old provider's routing callbacks: a C2C message, a group message, or a group
 * event (created, dismissed, changed, joined, left). Old ids throughout; IM ids are derived when sent.
 *
 * @param change         {@link #C2C_MESSAGE}, {@link #GROUP_MESSAGE} or {@link #GROUP_EVENT}
 * @param sourceId       the old system's id of the row (message id, group event id)
 * @param happenedAt     the change's own time, Unix milliseconds (latency is measured from it)
 * @param event          for group events: created / dismissed / changed / joined / left
 * @param groupName      the group's current name (a "created" event without its own name uses it)
 */
public record OldSystemChange(String change, String sourceId, Long happenedAt, String fromId, String toId, String groupId,
                              String userId, String kind, String body, String cloudCustomData, String event, String name,
                              String introduction, String notification, String faceUrl, String groupType, String ownerId,
                              String groupName) {

    public static final String C2C_MESSAGE = "c2c_message";
    public static final String GROUP_MESSAGE = "group_message";
    public static final String GROUP_EVENT = "group_event";
    static final Set<String> CHANGES = Set.of(C2C_MESSAGE, GROUP_MESSAGE, GROUP_EVENT);
    static final Set<String> EVENTS = Set.of("created", "dismissed", "changed", "joined", "left");

    /** A row (canonical column names, see routes/old-system/mapping.yml) as a change; checked by {@link #validate()}. */
    public static OldSystemChange fromRow(String change, Map<String, Object> row) {
        return new OldSystemChange(change, text(row, "source_id"), epochMillis(row.get("happened_at")), text(row, "from_id"),
                text(row, "to_id"), text(row, "group_id"), text(row, "user_id"), text(row, "kind"), raw(row, "body"),
                raw(row, "cloud_custom_data"), lower(text(row, "event")), text(row, "name"), text(row, "introduction"),
                text(row, "notification"), text(row, "face_url"), lower(text(row, "group_type")), text(row, "owner_id"),
                text(row, "group_name"));
    }

    /** Rejects a change that can never be sent, with the reason (the sender dead-letters it, intake answers 400). */
    public OldSystemChange validate() {
        if (!CHANGES.contains(change)) {
            throw new RejectedRecordException(sourceId, "unknown change '" + change + "' (known: " + CHANGES + ")");
        }
        require(sourceId, "source_id");
        if (happenedAt == null) {
            throw new RejectedRecordException(sourceId, "change has no valid happened_at");
        }
        switch (change) {
            case C2C_MESSAGE -> {
                require(fromId, "from_id");
                require(toId, "to_id");
            }
            case GROUP_MESSAGE -> {
                require(groupId, "group_id");
                require(fromId, "from_id");
            }
            default -> {
                require(groupId, "group_id");
                if (!EVENTS.contains(event)) {
                    throw new RejectedRecordException(sourceId, "unknown group event '" + event + "' (known: " + EVENTS + ")");
                }
                if ("joined".equals(event) || "left".equals(event)) {
                    require(userId, "user_id");
                }
            }
        }
        return this;
    }

    /** What the id map and the dead-letter headers call it: c2c_message, group_message or group_event. */
    @JsonIgnore
    public String idKind() {
        return change;
    }

    @JsonIgnore
    public boolean isGroupChange() {
        return !C2C_MESSAGE.equals(change);
    }

    private void require(String value, String column) {
        if (value == null || value.isBlank()) {
            throw new RejectedRecordException(sourceId, change + " has no " + column);
        }
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static String raw(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    }

    /** A time column or JSON value as Unix milliseconds: JDBC types, epoch seconds or millis, ISO-8601 text. */
    static Long epochMillis(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.getTime();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant().toEpochMilli();
        }
        if (value instanceof LocalDateTime l) {
            return l.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        }
        if (value instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (value instanceof Number n) {
            return fromNumber(n.longValue());
        }
        String s = value.toString().trim();
        try {
            return fromNumber(Long.parseLong(s));
        } catch (NumberFormatException notNumeric) {
            // one of the text forms below
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            // a local date-time
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T')).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Below 10^11 a number is Unix seconds (until the year 5138), above it milliseconds. */
    private static long fromNumber(long n) {
        return n < 100_000_000_000L ? n * 1000 : n;
    }
}
