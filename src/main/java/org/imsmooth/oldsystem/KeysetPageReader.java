package org.imsmooth.oldsystem;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.imsmooth.state.ImportCursors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the old system one keyset page at a time, from the stage's durable cursor on. Memory is
 * bounded by the page size, and a restarted import continues after the last committed page.
 * The route commits a page only after every row of it reached the broker.
 */
@Component("oldSystemReader")
public class KeysetPageReader {

    /** Exchange property: true while the last page was full (there may be more rows). */
    public static final String MORE_PAGES = "ImMorePages";
    static final String PAGE_LAST_KEY = "ImPageLastKey";
    static final String PAGE_ROWS = "ImPageRows";
    /** Exchange property: the row limit of the page read last (pages grow from the first page size). */
    static final String PAGE_LIMIT = "ImPageLimit";
    private static final String TIMESTAMP_MARK = "ts:";

    private final NamedParameterJdbcTemplate oldSystem;
    private final OldSystemMapping mapping;
    private final ImportCursors cursors;

    public KeysetPageReader(@Qualifier("oldSystemDataSource") DataSource oldSystem, OldSystemMapping mapping, ImportCursors cursors) {
        this.oldSystem = new NamedParameterJdbcTemplate(oldSystem);
        this.mapping = mapping;
        this.cursors = cursors;
    }

    /** The next page of {@code kind} rows after the stage's cursor; column names lower-cased. */
    public List<Map<String, Object>> nextPage(String kind, Exchange exchange) {
        int limit = mapping.nextPageSize(exchange.getProperty(PAGE_LIMIT, 0, Integer.class));
        exchange.setProperty(PAGE_LIMIT, limit);
        return nextPage(kind, mapping.query(kind), limit, Map.of(), exchange);
    }

    /**
     * The next page of a query that is not one of the import's (change capture), after the durable
     * cursor {@code cursorName}, with extra named parameters; {@link #commitPage} with the same name.
     */
    public List<Map<String, Object>> nextPage(String cursorName, OldSystemMapping.KindQuery query, int pageSize,
                                              Map<String, Object> extraParams, Exchange exchange) {
        String kind = cursorName;
        Map<String, Object> after = cursors.load(kind).map(KeysetPageReader::fromStored).orElseGet(() -> initial(query));
        MapSqlParameterSource params = new MapSqlParameterSource("limit", pageSize);
        params.addValues(extraParams);
        for (String column : query.cursor()) {
            params.addValue("after_" + column, after.get(column));
        }
        List<Map<String, Object>> rows = oldSystem.query(query.sql(), params, new LowerCaseColumns());
        exchange.setProperty(PAGE_ROWS, rows.size());
        exchange.setProperty(MORE_PAGES, rows.size() >= pageSize);
        if (!rows.isEmpty()) {
            Map<String, Object> last = rows.get(rows.size() - 1);
            Map<String, Object> key = new LinkedHashMap<>();
            for (String column : query.cursor()) {
                if (!last.containsKey(column)) {
                    throw new IllegalStateException("Query for '" + kind + "' does not return its cursor column '" + column + "'");
                }
                key.put(column, last.get(column));
            }
            exchange.setProperty(PAGE_LAST_KEY, key);
        }
        return rows;
    }

    /**
     * Walks every row of a kind page by page without touching the durable cursor (reconciliation
     * reads the old system again, independently of the import).
     */
    public void scan(String kind, java.util.function.Consumer<Map<String, Object>> rowConsumer) {
        OldSystemMapping.KindQuery query = mapping.query(kind);
        Map<String, Object> after = initial(query);
        while (true) {
            MapSqlParameterSource params = new MapSqlParameterSource("limit", mapping.pageSize());
            for (String column : query.cursor()) {
                params.addValue("after_" + column, after.get(column));
            }
            List<Map<String, Object>> rows = oldSystem.query(query.sql(), params, new LowerCaseColumns());
            rows.forEach(rowConsumer);
            if (rows.size() < mapping.pageSize()) {
                return;
            }
            Map<String, Object> last = rows.get(rows.size() - 1);
            after = new LinkedHashMap<>();
            for (String column : query.cursor()) {
                after.put(column, last.get(column));
            }
        }
    }

    /** How many rows the old system holds for this kind (its {@code total} query), or -1 without one. */
    public long total(String kind) {
        String sql = mapping.query(kind).total();
        if (sql == null || sql.isBlank()) {
            return -1;
        }
        Long n = oldSystem.getJdbcTemplate().queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /** Moves the stage's cursor past the page just read (call after the page reached the broker). */
    public void commitPage(String kind, Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> key = exchange.getProperty(PAGE_LAST_KEY, Map.class);
        Integer rows = exchange.getProperty(PAGE_ROWS, Integer.class);
        if (key != null && rows != null && rows > 0) {
            cursors.save(kind, toStored(key), rows);
        }
    }

    private static Map<String, Object> initial(OldSystemMapping.KindQuery query) {
        Map<String, Object> start = new LinkedHashMap<>();
        for (String column : query.cursor()) {
            Object value = query.start() == null ? null : query.start().get(column);
            start.put(column, value instanceof String s && s.startsWith(TIMESTAMP_MARK) ? fromStored(Map.of(column, s)).get(column)
                    : value == null ? 0L : value);
        }
        return start;
    }

    /** A timestamp cursor value as the cursor table stores it (a starting point set from outside). */
    public static String storedTimestamp(LocalDateTime value) {
        return TIMESTAMP_MARK + value;
    }

    /** Timestamps survive the JSON cursor column as "ts:" + ISO local date-time. */
    private static Map<String, Object> toStored(Map<String, Object> key) {
        Map<String, Object> stored = new LinkedHashMap<>();
        key.forEach((column, value) -> {
            Object kept = value;
            if (value instanceof Timestamp ts) {
                kept = TIMESTAMP_MARK + ts.toLocalDateTime();
            } else if (value instanceof LocalDateTime ldt) {
                kept = TIMESTAMP_MARK + ldt;
            } else if (value instanceof OffsetDateTime odt) {
                kept = TIMESTAMP_MARK + odt.toLocalDateTime();
            }
            stored.put(column, kept);
        });
        return stored;
    }

    private static Map<String, Object> fromStored(Map<String, Object> stored) {
        Map<String, Object> key = new LinkedHashMap<>();
        stored.forEach((column, value) -> key.put(column,
                value instanceof String s && s.startsWith(TIMESTAMP_MARK)
                        ? Timestamp.valueOf(LocalDateTime.parse(s.substring(TIMESTAMP_MARK.length())))
                        : value));
        return key;
    }

    /** PostgreSQL lower-cases, H2 upper-cases: canonical names are lower case everywhere. */
    private static final class LowerCaseColumns extends ColumnMapRowMapper {
        @Override
        protected String getColumnKey(String columnName) {
            return columnName.toLowerCase(Locale.ROOT);
        }
    }
}
