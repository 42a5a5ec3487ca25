package org.imsmooth.sync.toim.log;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A row image of Debezium (a Kafka Connect Struct) as plain JSON-like values for the mapping: time
 * columns as Unix milliseconds (a time without a zone in the JVM's zone, as the polling capture reads
 * it), JSON columns as their text, dates as ISO text, small integers as Integer.
 */
final class DebeziumRows {

    private DebeziumRows() {
    }

    static Map<String, Object> toMap(Object image) {
        if (!(image instanceof Struct struct)) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            row.put(field.name(), value(field.schema().name(), struct.get(field)));
        }
        return row;
    }

    static Object value(String logical, Object value) {
        if (value == null) {
            return null;
        }
        if (logical != null) {
            switch (logical) {
                case "io.debezium.time.Timestamp":
                    return localMillis(((Number) value).longValue() * 1_000_000L);
                case "io.debezium.time.MicroTimestamp":
                    return localMillis(((Number) value).longValue() * 1_000L);
                case "io.debezium.time.NanoTimestamp":
                    return localMillis(((Number) value).longValue());
                case "io.debezium.time.ZonedTimestamp":
                    return zonedMillis(value.toString());
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
                case "org.apache.kafka.connect.data.Timestamp":
                    return ((java.util.Date) value).getTime();
                default:
                    break;
            }
        }
        if (value instanceof Byte || value instanceof Short) {
            return ((Number) value).intValue();
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Struct nested) {
            return toMap(nested);
        }
        return value;
    }

    /** Debezium writes a zoneless timestamp as if it were UTC: read its fields back as local time. */
    private static long localMillis(long epochNanos) {
        LocalDateTime local = LocalDateTime.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                (int) Math.floorMod(epochNanos, 1_000_000_000L), ZoneOffset.UTC);
        return local.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static Object zonedMillis(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                return text;
            }
        }
    }
}
