package org.imsmooth.sync;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Echo prevention without a marker column in the old schema: the IM -> old writer records each row
 * it writes (table, operation, key columns and, optionally, the values it set) in table
 * {@code sync_own_write} of the state database before the old system's transaction commits; log-based
 * change capture asks {@link #claim} for every change it reads and skips those the service wrote
 * itself. A one-row entry is consumed by the first change that matches it; the change's log position
 * is kept with it, so the same change read again after a restart (Debezium replays from its last
 * flushed offset) still matches, and a later change of the same row by the old app does not.
 * Entries older than {@code sync.own-writes.retention} are deleted.
 */
@Component
public class OwnWrites {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> COLUMNS = new TypeReference<>() { };

    /** A row written into the old system: table, operation (c/u/d), key columns, values set, one or many rows. */
    public record OwnRow(String table, String op, Map<String, String> key, Map<String, String> values, boolean many) {
    }

    private final JdbcTemplate state;
    private final Duration retention;

    public OwnWrites(JdbcTemplate state, @Value("${sync.own-writes.retention:1h}") Duration retention) {
        this.state = state;
        this.retention = retention;
    }

    /** insert / update / delete (or Debezium's c / u / d) as c / u / d. */
    public static String op(String operation) {
        String op = operation == null ? "" : operation.trim().toLowerCase(Locale.ROOT);
        return switch (op) {
            case "c", "insert", "create", "r" -> "c";
            case "u", "update" -> "u";
            case "d", "delete" -> "d";
            default -> throw new IllegalArgumentException("operation must be insert, update or delete, not '" + operation + "'");
        };
    }

    /** Records rows about to be committed into the old system (call before that commit). */
    public void record(List<OwnRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        state.batchUpdate("INSERT INTO sync_own_write (id, table_name, op, row_key, row_values, many_rows, claimed_at, written_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
                rows.stream().map(r -> new Object[] {UUID.randomUUID().toString(), normalTable(r.table()), op(r.op()),
                        json(r.key()), r.values() == null || r.values().isEmpty() ? null : json(r.values()), r.many(), now})
                        .toList());
    }

    /**
     * True when the captured change (its table, operation, and the row's columns: the after-image,
     * or the before-image of a delete) was written by the service; a one-row entry is consumed.
     */
    public boolean claim(String table, String op, Map<String, ?> row, String position) {
        String normalOp = op(op);
        List<Candidate> candidates = state.query(
                "SELECT id, row_key, row_values, many_rows, claimed_at FROM sync_own_write WHERE table_name = ? AND op = ?"
                        + " ORDER BY written_at",
                (rs, i) -> new Candidate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5)),
                normalTable(table), normalOp);
        for (Candidate candidate : candidates) {
            if (!matches(candidate.key(), row) || !matches(candidate.values(), row)) {
                continue;
            }
            if (candidate.many() || position.equals(candidate.claimedAt())) {
                return true;
            }
            if (candidate.claimedAt() == null && state.update("UPDATE sync_own_write SET claimed_at = ? WHERE id = ? AND claimed_at IS NULL",
                    position, candidate.id()) == 1) {
                return true;
            }
        }
        return false;
    }

    /** Deletes entries older than the retention (a captured change arrives within seconds of its commit). */
    public int expire() {
        return state.update("DELETE FROM sync_own_write WHERE written_at < ?", Timestamp.from(Instant.now().minus(retention)));
    }

    private record Candidate(String id, String key, String values, boolean many, String claimedAt) {
    }

    private static boolean matches(String columnsJson, Map<String, ?> row) {
        if (columnsJson == null) {
            return true;
        }
        Map<String, String> columns;
        try {
            columns = JSON.readValue(columnsJson, COLUMNS);
        } catch (JsonProcessingException e) {
            return false;
        }
        for (Map.Entry<String, String> column : columns.entrySet()) {
            Object value = row.get(column.getKey());
            if (!Objects.equals(column.getValue(), value == null ? null : text(value))) {
                return false;
            }
        }
        return true;
    }

    /** A value as the text both sides compare: numbers without a fraction as integers. */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)
                && !(value instanceof java.math.BigDecimal)) {
            return Long.toString(n.longValue());
        }
        if (value instanceof java.math.BigDecimal d && d.scale() <= 0) {
            return d.toBigInteger().toString();
        }
        return value.toString();
    }

    private static String normalTable(String table) {
        String t = table.trim().toLowerCase(Locale.ROOT);
        int dot = t.lastIndexOf('.');
        return dot >= 0 ? t.substring(dot + 1) : t;
    }

    private static String json(Map<String, String> columns) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(columns));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
