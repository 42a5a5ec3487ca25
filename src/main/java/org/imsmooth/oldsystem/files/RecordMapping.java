package org.imsmooth.oldsystem.files;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * How one export record becomes canonical rows, from a kind's configuration (no Java per provider):
 * an optional jq {@code select} yields the objects (several per record, e.g. a channel's members),
 * then JSON pointers, jq expressions, value maps, time formats and constants give each canonical
 * column. A record that cannot be mapped is refused with the reason ({@link Refused}).
 */
final class RecordMapping {

    /** The canonical time columns: read as {@code auto} (number = seconds, text = ISO-8601) unless configured. */
    static final Set<String> TIME_COLUMNS = Set.of("sent_at", "added_at", "read_at", "created_at", "joined_at", "group_created_at",
            "happened_at");

    /** The columns each kind must have (README "Canonical records", in bold). */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "accounts", List.of("source_id"), "profiles", List.of("source_id"), "friends", List.of("user_id", "friend_id"),
            "c2c-messages", List.of("source_id", "from_id", "to_id"), "c2c-read-marks", List.of("user_id", "peer_id"),
            "groups", List.of("source_id"), "group-members", List.of("group_id", "user_id"),
            "group-messages", List.of("source_id", "group_id"), "group-unread", List.of("group_id", "user_id"));

    private static final Scope ROOT = rootScope();

    /** A record the mapping refuses, with the reason (it goes to the stage's DLQ). */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String kind;
    private final ExportFilesProperties.Kind config;
    private final JsonQuery select;
    private final Map<String, JsonQuery> jq = new LinkedHashMap<>();
    private final List<String> required;
    private final ZoneId zone;
    private final ObjectMapper json;

    RecordMapping(String kind, ExportFilesProperties.Kind config, ZoneId zone, ObjectMapper json) {
        this.kind = kind;
        this.config = config;
        this.zone = zone;
        this.json = json;
        this.select = config.select() == null || config.select().isBlank() ? null : compile("select", config.select());
        config.jq().forEach((column, expression) -> jq.put(column, compile("jq." + column, expression)));
        this.required = config.required() != null ? config.required() : REQUIRED.getOrDefault(kind, List.of());
        config.times().forEach((column, format) -> {
            if (!Set.of("iso", "seconds", "millis", "auto").contains(format)) {
                throw new IllegalArgumentException("oldsystem.files.kinds." + kind + ".times." + column + " is '" + format
                        + "': use iso, seconds, millis or auto");
            }
        });
        config.fields().forEach((column, pointer) -> {
            if (pointer == null || !(pointer.isEmpty() || pointer.startsWith("/"))) {
                throw new IllegalArgumentException("oldsystem.files.kinds." + kind + ".fields." + column + " is '" + pointer
                        + "': a JSON pointer starts with / (e.g. /user/id)");
            }
        });
    }

    private JsonQuery compile(String what, String expression) {
        try {
            return JsonQuery.compile(expression, Versions.JQ_1_6);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException("oldsystem.files.kinds." + kind + "." + what + " is not a jq expression: " + e.getMessage(), e);
        }
    }

    /** The canonical rows of one record (usually one). */
    List<Map<String, Object>> rows(JsonNode record, String file) throws Refused {
        List<JsonNode> objects = new ArrayList<>(1);
        Scope scope = null;
        if (select != null || !jq.isEmpty()) {
            scope = Scope.newChildScope(ROOT);
            scope.setValue("file", TextNode.valueOf(file));
        }
        if (select == null) {
            objects.add(record);
        } else {
            try {
                select.apply(scope, record, objects::add);
            } catch (JsonQueryException e) {
                throw new Refused("select: " + e.getMessage());
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>(objects.size());
        for (JsonNode object : objects) {
            if (!object.isObject()) {
                throw new Refused("select gave " + object.getNodeType().toString().toLowerCase(Locale.ROOT) + ", not an object");
            }
            rows.add(row(object, scope));
        }
        return rows;
    }

    private Map<String, Object> row(JsonNode object, Scope scope) throws Refused {
        Map<String, Object> row = new LinkedHashMap<>();
        if (config.fields().isEmpty() && config.jq().isEmpty()) {
            // the canonical export format: every key is a canonical column
            var names = object.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                put(row, name, object.get(name));
            }
        } else {
            for (Map.Entry<String, String> field : config.fields().entrySet()) {
                put(row, field.getKey(), object.at(field.getValue()));
            }
            for (Map.Entry<String, JsonQuery> expression : jq.entrySet()) {
                List<JsonNode> out = new ArrayList<>(1);
                try {
                    expression.getValue().apply(scope, object, out::add);
                } catch (JsonQueryException e) {
                    throw new Refused(expression.getKey() + ": " + e.getMessage());
                }
                put(row, expression.getKey(), out.isEmpty() ? null : out.get(0));
            }
        }
        row.putAll(config.constants());
        for (Map.Entry<String, Map<String, String>> codes : config.codes().entrySet()) {
            String column = codes.getKey();
            Object value = row.get(column);
            if (value == null) {
                continue;
            }
            String mapped = codes.getValue().get(String.valueOf(value));
            if (mapped == null) {
                mapped = codes.getValue().get("*");
            }
            if (mapped == null) {
                throw new Refused(column + " '" + value + "' is not in its value map (codes." + column + ": "
                        + new java.util.TreeSet<>(codes.getValue().keySet()) + ")");
            }
            row.put(column, mapped);
        }
        for (Map.Entry<String, Object> entry : row.entrySet()) {
            String format = config.times().get(entry.getKey());
            if (format == null && TIME_COLUMNS.contains(entry.getKey())) {
                format = "auto";
            }
            if (format != null && entry.getValue() != null) {
                entry.setValue(epochSeconds(entry.getKey(), entry.getValue(), format));
            }
        }
        for (String column : required) {
            Object value = row.get(column);
            if (value == null || value.toString().isBlank()) {
                String where = config.fields().containsKey(column) ? " (" + config.fields().get(column) + ")"
                        : config.jq().containsKey(column) ? " (jq)" : "";
                throw new Refused("no " + column + where);
            }
        }
        return row;
    }

    private void put(Map<String, Object> row, String column, JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        Object plain;
        if (value.isTextual()) {
            plain = value.textValue();
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            plain = value.longValue();
        } else if (value.isNumber()) {
            plain = value.decimalValue();
        } else if (value.isBoolean()) {
            plain = String.valueOf(value.booleanValue());
        } else {
            try {
                plain = json.writeValueAsString(value); // objects and arrays as JSON text (message bodies)
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                plain = value.toString();
            }
        }
        row.put(column, plain);
    }

    private Long epochSeconds(String column, Object value, String format) throws Refused {
        try {
            String text = value.toString().trim();
            boolean numeric = value instanceof Number || text.matches("-?\\d+(\\.\\d+)?");
            return switch (format) {
                case "seconds" -> new BigDecimal(text).longValue();
                case "millis" -> Math.floorDiv(new BigDecimal(text).longValue(), 1000L);
                case "iso" -> iso(text);
                default -> numeric ? new BigDecimal(text).longValue() : iso(text);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Refused(column + " '" + value + "' is not a time in the format " + format
                    + (format.equals("auto") ? " (Unix seconds or ISO-8601)" : ""));
        }
    }

    private long iso(String text) {
        try {
            return OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Instant.parse(text).getEpochSecond();
            } catch (DateTimeParseException notInstant) {
                if (text.length() == 10) {
                    return LocalDate.parse(text).atStartOfDay(zone).toEpochSecond();
                }
                return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toEpochSecond();
            }
        }
    }

    private static Scope rootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        return scope;
    }
}
