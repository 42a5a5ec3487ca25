package org.imsmooth.oldsystem;

import java.sql.SQLException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the old system one keyset page at a time, from the stage's durable cursor on. Memory is
 * bounded by the page size, and a restarted import continues after the last committed page.
 * The route commits a page only after every row of it reached the broker.
 * <p>
 * A page the database cannot return because of the data in one row (SQLSTATE class 22, "data
 * exception": a cast meeting a bad value) is read again in halves down to that one row, which goes to
 * {@link UnreadableRows} with the database's error; the rest is read as usual. The row's cursor values
 * come from the same query keeping only the cursor columns (PostgreSQL then does not compute the other
 * columns), or from the kind's {@code keys} query when one is configured. Any other error (the
 * database unreachable, a query that does not parse) stops the reader, loudly.
 */
@Component
public class KeysetPageReader implements OldSystemSource {

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
    private final ObjectProvider<UnreadableRows> unreadable;

    private static final Logger LOG = LoggerFactory.getLogger(KeysetPageReader.class);

    @Autowired
    public KeysetPageReader(@Qualifier("oldSystemDataSource") DataSource oldSystem, OldSystemMapping mapping, ImportCursors cursors,
                            ObjectProvider<UnreadableRows> unreadable) {
        this.oldSystem = new NamedParameterJdbcTemplate(oldSystem);
        this.mapping = mapping;
        this.cursors = cursors;
        this.unreadable = unreadable;
    }

    @Override
    public boolean readsByConversation(String kind) {
        OldSystemMapping.KindQuery query = mapping.queries().get(kind);
        return "group-messages".equals(kind) || (query != null && query.byConversation());
    }

    /** The next page of {@code kind} rows after the stage's cursor; column names lower-cased. */
    @Override
    public List<Map<String, Object>> nextPage(String kind, Exchange exchange) {
        int limit = mapping.nextPageSize(exchange.getProperty(PAGE_LIMIT, 0, Integer.class));
        OldSystemMapping.KindQuery query = mapping.query(kind);
        while (true) {
            Map<String, Object> after = cursors.load(kind).map(KeysetPageReader::fromStored).orElseGet(() -> initial(query));
            Page page = readIsolating(kind, query, after, limit);
            if (page.bad() == null) {
                exchange.setProperty(PAGE_LIMIT, page.limit());
                return rows(kind, query, page.rows(), page.limit(), exchange);
            }
            UnreadableRows sink = unreadable.getIfAvailable();
            if (sink == null) {
                throw page.bad().failure();
            }
            LOG.warn("{}: the old system cannot return the row {} ({}): dead-lettered, reading on after it",
                    kind, page.bad().key(), page.bad().error());
            sink.unreadable(kind, page.bad().oldId(), page.bad().key(), page.bad().error());
            cursors.save(kind, toStored(page.bad().key()), 1);
            limit = page.limit();
        }
    }

    /** One page read, or the one row after the cursor that the database cannot return. */
    private record Page(List<Map<String, Object>> rows, int limit, BadRow bad) {
    }

    private record BadRow(Map<String, Object> key, String oldId, String error, DataAccessException failure) {
    }

    /** Reads {@code limit} rows after {@code after}; on a data error, fewer, down to the one row that fails. */
    private Page readIsolating(String kind, OldSystemMapping.KindQuery query, Map<String, Object> after, int limit) {
        int n = limit;
        while (true) {
            try {
                return new Page(query(query.sql(), query, after, n, Map.of()), n, null);
            } catch (DataAccessException e) {
                if (!isDataError(e)) {
                    throw e;
                }
                if (n > 1) {
                    n = n / 2;
                    continue;
                }
                Map<String, Object> key = badRowKey(kind, query, after, e);
                return new Page(List.of(), n, new BadRow(key, oldIdOf(query, key), databaseError(e), e));
            }
        }
    }

    /** The cursor values of the first row after {@code after}, read without the columns that fail. */
    private Map<String, Object> badRowKey(String kind, OldSystemMapping.KindQuery query, Map<String, Object> after,
                                          DataAccessException rowError) {
        String keysSql = query.keys() != null && !query.keys().isBlank() ? query.keys()
                : "SELECT " + String.join(", ", query.cursor()) + " FROM (" + query.sql() + ") unreadable_row";
        List<Map<String, Object>> rows;
        try {
            rows = query(keysSql, query, after, 1, Map.of());
        } catch (DataAccessException e) {
            throw new IllegalStateException("The old system cannot return the row after cursor " + after + " of '" + kind
                    + "' (" + databaseError(rowError) + "), and its cursor values cannot be read without the failing columns"
                    + " either: add oldsystem.queries." + kind + ".keys (the page query selecting only "
                    + query.cursor() + ") so the row can be dead-lettered", rowError);
        }
        if (rows.isEmpty()) {
            throw rowError;
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : query.cursor()) {
            key.put(column, rows.get(0).get(column));
        }
        return key;
    }

    /** SQLSTATE class 22 ("data exception"): the data of a row, not the query or the connection. */
    static boolean isDataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /** The database's own message (the innermost SQL exception's), without the statement Spring adds. */
    public static String databaseError(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                message = sql.getMessage();
            }
        }
        if (message != null) {
            int statement = message.indexOf("; SQL statement:");
            message = statement > 0 ? message.substring(0, statement) : message;
        }
        return message;
    }

    /** The id map's key of a row from its cursor values: its source_id, or its cursor values joined by ':'. */
    static String oldIdOf(OldSystemMapping.KindQuery query, Map<String, Object> key) {
        if (key.containsKey("source_id")) {
            return text(key.get("source_id"));
        }
        List<String> parts = new java.util.ArrayList<>();
        key.values().forEach(v -> parts.add(text(v)));
        return String.join(":", parts);
    }

    private static String text(Object value) {
        if (value instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    private List<Map<String, Object>> query(String sql, OldSystemMapping.KindQuery query, Map<String, Object> after, int limit,
                                            Map<String, Object> extraParams) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit);
        params.addValues(extraParams);
        for (String column : query.cursor()) {
            params.addValue("after_" + column, after.get(column));
        }
        return oldSystem.query(sql, params, new LowerCaseColumns());
    }

    /**
     * Runs every configured page query once with {@code :limit} 0 from its starting cursor: a query
     * that does not parse or names a missing column fails here, at start, instead of mid-import.
     */
    @Override
    public void check(String kind) {
        OldSystemMapping.KindQuery query = mapping.query(kind);
        query(query.sql(), query, initial(query), 0, Map.of());
    }

    /** The first {@code limit} rows of a kind from its starting cursor, leaving the durable cursor alone (mapping check). */
    public List<Map<String, Object>> firstRows(String kind, int limit) {
        OldSystemMapping.KindQuery query = mapping.query(kind);
        return query(query.sql(), query, initial(query), limit, Map.of());
    }

    /**
     * The next page of a query that is not one of the import's (change capture), after the durable
     * cursor {@code cursorName}, with extra named parameters; {@link #commitPage} with the same name.
     */
    public List<Map<String, Object>> nextPage(String cursorName, OldSystemMapping.KindQuery query, int pageSize,
                                              Map<String, Object> extraParams, Exchange exchange) {
        Map<String, Object> after = cursors.load(cursorName).map(KeysetPageReader::fromStored).orElseGet(() -> initial(query));
        return rows(cursorName, query, query(query.sql(), query, after, pageSize, extraParams), pageSize, exchange);
    }

    private List<Map<String, Object>> rows(String kind, OldSystemMapping.KindQuery query, List<Map<String, Object>> rows,
                                           int pageSize, Exchange exchange) {
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
     * reads the old system again, independently of the import). A row the database cannot return is
     * isolated as the import does, and handed to {@code unreadableRow} as its id-map key.
     */
    @Override
    public void scan(String kind, java.util.function.Consumer<Map<String, Object>> rowConsumer,
                     java.util.function.Consumer<String> unreadableRow) {
        OldSystemMapping.KindQuery query = mapping.query(kind);
        Map<String, Object> after = initial(query);
        while (true) {
            Page page = readIsolating(kind, query, after, mapping.pageSize());
            if (page.bad() != null) {
                unreadableRow.accept(page.bad().oldId());
                after = page.bad().key();
                continue;
            }
            List<Map<String, Object>> rows = page.rows();
            rows.forEach(rowConsumer);
            if (rows.size() < page.limit()) {
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
    @Override
    public long total(String kind) {
        String sql = mapping.query(kind).total();
        if (sql == null || sql.isBlank()) {
            return -1;
        }
        Long n = oldSystem.getJdbcTemplate().queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /** Moves the stage's cursor past the page just read (call after the page reached the broker). */
    @Override
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
