package org.imsmooth.canonical;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * Reads canonical columns out of one old-system row. JDBC drivers return different types for the
 * same column (Timestamp, LocalDateTime, BigDecimal, Integer...), so records read through here and
 * keep plain values (text, numbers, epoch seconds) that survive the work queue's JSON.
 */
final class OldSystemRow {

    private final Map<String, Object> row;

    OldSystemRow(Map<String, Object> row) {
        this.row = row;
    }

    /** A column the mapping must return; its absence is a mapping error, not a bad record. */
    String required(String column, String what) {
        Object value = row.get(column);
        if (value == null) {
            throw new RejectedRecordException(null, what + " row has no " + column + " column: " + row.keySet());
        }
        return String.valueOf(value);
    }

    String text(String column) {
        Object value = row.get(column);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    Integer integer(String column) {
        Object value = row.get(column);
        if (value instanceof Number n) {
            return n.intValue();
        }
        return value == null || value.toString().isBlank() ? null : Integer.valueOf(value.toString().trim());
    }

    /** Unix seconds; timestamps without a zone are in the JVM's zone, as the old system's driver gave them. */
    Long epochSeconds(String column) {
        Object value = row.get(column);
        Instant instant;
        if (value == null) {
            return null;
        } else if (value instanceof Timestamp ts) {
            instant = ts.toInstant();
        } else if (value instanceof LocalDateTime ldt) {
            instant = ldt.atZone(ZoneId.systemDefault()).toInstant();
        } else if (value instanceof OffsetDateTime odt) {
            instant = odt.toInstant();
        } else if (value instanceof java.util.Date d) {
            instant = d.toInstant();
        } else if (value instanceof Number n) {
            instant = Instant.ofEpochSecond(n.longValue());
        } else {
            instant = Instant.parse(value.toString());
        }
        return instant.getEpochSecond();
    }
}
