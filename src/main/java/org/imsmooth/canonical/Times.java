package org.imsmooth.canonical;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** Old-system time columns as Unix seconds, IM's unit, whatever type the JDBC driver returns. */
final class Times {

    private Times() {
    }

    static Long epochSeconds(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.getTime() / 1000;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toEpochSecond();
        }
        if (value instanceof LocalDateTime l) {
            return l.atZone(ZoneId.systemDefault()).toEpochSecond();
        }
        if (value instanceof Instant i) {
            return i.getEpochSecond();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        return Timestamp.valueOf(value.toString()).getTime() / 1000;
    }
}
