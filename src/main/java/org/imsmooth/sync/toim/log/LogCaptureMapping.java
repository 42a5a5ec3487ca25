package org.imsmooth.sync.toim.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.dashjoin.jsonata.Jsonata;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.sync.toim.OldSystemChange;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns one captured row change into canonical changes by its table's mapping ({@code log-capture.tables}):
 * the optional lookup query on the old database, then the JSONata expression. No Java per schema.
 */
@Component
public class LogCaptureMapping {

    private final LogCaptureProperties properties;
    private final NamedParameterJdbcTemplate old;
    private final Map<String, Jsonata> expressions = new ConcurrentHashMap<>();
    /** Each mapping thread evaluates its own parsed copies (a parsed expression keeps evaluation state). */
    private final ThreadLocal<Map<String, Jsonata>> perThread = ThreadLocal.withInitial(HashMap::new);

    public LogCaptureMapping(LogCaptureProperties properties, @Qualifier("oldSystemDataSource") DataSource oldSystem) {
        this.properties = properties;
        this.old = new NamedParameterJdbcTemplate(oldSystem);
        properties.tables().forEach((table, mapping) -> {
            if (mapping.change() == null || mapping.change().isBlank()) {
                throw new IllegalArgumentException("log-capture.tables." + table + ".change is missing (a JSONata expression)");
            }
            try {
                expressions.put(table, Jsonata.jsonata(mapping.change()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("log-capture.tables." + table + ".change is not a valid JSONata expression: "
                        + e.getMessage(), e);
            }
        });
    }

    public boolean maps(String table) {
        return expressions.containsKey(table);
    }

    /** A captured row change as it is offered to the expression. */
    public record RowChange(String table, String op, Map<String, Object> before, Map<String, Object> after, Long committedAt,
                            String position, String key) {

        Map<String, Object> row() {
            return after != null ? after : before;
        }
    }

    /** The canonical changes of one row change (none when the expression gives nothing). */
    public List<OldSystemChange> changes(RowChange change) {
        LogCaptureProperties.TableMapping mapping = properties.tables().get(change.table());
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("op", switch (change.op()) {
            case "c", "r" -> "insert";
            case "u" -> "update";
            default -> "delete";
        });
        input.put("table", change.table());
        input.put("before", change.before());
        input.put("after", change.after());
        input.put("row", change.row());
        input.put("committed_at", change.committedAt());
        input.put("position", change.position());
        if (mapping.lookup() != null && !mapping.lookup().isBlank()) {
            List<Map<String, Object>> rows = old.queryForList(mapping.lookup(), new RowParameters(change.row()));
            input.put("lookup", rows.isEmpty() ? null : plain(rows.get(0)));
        }
        Object result;
        try {
            result = perThread.get().computeIfAbsent(change.table(), t -> Jsonata.jsonata(properties.tables().get(t).change()))
                    .evaluate(input);
        } catch (RuntimeException e) {
            throw new RejectedRecordException(change.table() + ":" + change.key(),
                    "log-capture.tables." + change.table() + ".change failed: " + e.getMessage());
        }
        List<OldSystemChange> changes = new ArrayList<>();
        for (Object item : result instanceof List<?> list ? list : result == null ? List.of() : List.of(result)) {
            if (!(item instanceof Map<?, ?> fields)) {
                throw new RejectedRecordException(change.table() + ":" + change.key(),
                        "log-capture.tables." + change.table() + ".change must give an object, not " + item);
            }
            Map<String, Object> row = new HashMap<>();
            fields.forEach((k, v) -> row.put(String.valueOf(k), v));
            row.putIfAbsent("happened_at", change.committedAt());
            // a group event has no row of its own: the row change (table, key, operation, log position) names it
            row.putIfAbsent("source_id", change.table() + ":" + change.key() + ":" + change.op() + "@" + change.position());
            Object kind = row.get("change");
            changes.add(OldSystemChange.fromRow(kind == null ? null : kind.toString(), row));
        }
        return changes;
    }

    /** The row's columns as the lookup's parameters; a column the row lacks (a delete's key-only image) is NULL. */
    private static final class RowParameters extends org.springframework.jdbc.core.namedparam.AbstractSqlParameterSource {
        private final Map<String, Object> row;

        RowParameters(Map<String, Object> row) {
            this.row = row;
        }

        @Override
        public boolean hasValue(String name) {
            return true;
        }

        @Override
        public Object getValue(String name) {
            return row.get(name);
        }
    }

    /** JDBC values of a lookup row as the expression's plain values (times as Unix milliseconds). */
    private static Map<String, Object> plain(Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            Object v = value;
            if (value instanceof java.sql.Timestamp t) {
                v = t.getTime();
            } else if (value instanceof java.time.OffsetDateTime o) {
                v = o.toInstant().toEpochMilli();
            } else if (value instanceof java.sql.Date d) {
                v = d.toLocalDate().toString();
            } else if (value instanceof Short || value instanceof Byte) {
                v = ((Number) value).intValue();
            } else if (value != null && !(value instanceof Number) && !(value instanceof Boolean) && !(value instanceof String)) {
                v = value.toString();
            }
            values.put(column.toLowerCase(java.util.Locale.ROOT), v);
        });
        return values;
    }
}
