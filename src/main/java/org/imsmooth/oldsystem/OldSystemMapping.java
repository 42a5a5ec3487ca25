package org.imsmooth.oldsystem;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the old system's rows become canonical records: one SQL query per data kind, in
 * {@code routes/old-system/mapping.yml}. Each query aliases its columns to the canonical names and
 * reads one keyset page: it must filter on {@code :after_<column>} for every cursor column, order by
 * the cursor columns and end with {@code LIMIT :limit}. An engineer adapts the tool to their schema
 * by editing SQL, not Java.
 *
 * @param pageSize      rows per keyset page (memory stays bounded by this, whatever the table size)
 * @param firstPageSize rows of a stage's first page; each next page is four times larger up to
 *                      {@code pageSize}. A page's batches reach the broker only once its last row is
 *                      read, so a full first page kept a stage's workers idle for most of a second.
 * @param queries       data kind -> query
 */
@ConfigurationProperties("oldsystem")
public record OldSystemMapping(@DefaultValue("5000") int pageSize, @DefaultValue("250") int firstPageSize,
                               @DefaultValue({}) Map<String, KindQuery> queries) {

    public OldSystemMapping {
        if (pageSize < 1) {
            throw new IllegalArgumentException("oldsystem.page-size must be at least 1, not " + pageSize);
        }
        if (firstPageSize < 1) {
            throw new IllegalArgumentException("oldsystem.first-page-size must be at least 1, not " + firstPageSize);
        }
        queries.forEach((kind, query) -> query.checkKeyset(kind));
    }

    /**
     * @param sql    the keyset page query
     * @param cursor the cursor columns, most significant first (e.g. {@code [sent_at, id]})
     * @param start  the cursor values before the first row (default 0; timestamps as {@code "ts:1970-01-01T00:00:00"})
     * @param total  a COUNT query of the rows this kind covers, for progress and reconciliation
     * @param keys   optional: the page query selecting only the cursor columns, to find a row whose other
     *               columns the database cannot return (by default the page query wrapped in a sub-select)
     * @param order  1:1 history only: {@code time} (default; all conversations at once, oldest first) or
     *               {@code conversation} (the query returns each conversation's rows together, oldest
     *               first, so the import hands each conversation off to live sync as it passes it:
     *               docs/sync.md "Hand-off with the import"). Group history is always read by group.
     */
    public record KindQuery(String sql, List<String> cursor, Map<String, Object> start, String total, String keys, String order) {

        public static final String ORDER_TIME = "time";
        public static final String ORDER_CONVERSATION = "conversation";

        /** The one constructor configuration binds (a record with two constructors is otherwise not bound). */
        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public KindQuery {
        }

        public KindQuery(String sql, List<String> cursor, Map<String, Object> start, String total) {
            this(sql, cursor, start, total, null, null);
        }

        public KindQuery(String sql, List<String> cursor, Map<String, Object> start, String total, String keys) {
            this(sql, cursor, start, total, keys, null);
        }

        /** Whether the query returns each conversation's rows together (order: conversation). */
        public boolean byConversation() {
            return ORDER_CONVERSATION.equals(order);
        }

        /**
         * A page query that ignores a cursor column re-reads the same page forever, and one without
         * :limit reads the whole table at once: refuse both when the mapping is loaded, naming the fix.
         */
        void checkKeyset(String kind) {
            if (order != null && !ORDER_TIME.equals(order) && !ORDER_CONVERSATION.equals(order)) {
                throw new IllegalArgumentException("oldsystem.queries." + kind + ".order must be '" + ORDER_TIME + "' or '"
                        + ORDER_CONVERSATION + "', not '" + order + "'");
            }
            if (byConversation() && !"c2c-messages".equals(kind)) {
                throw new IllegalArgumentException("oldsystem.queries." + kind + ".order: only c2c-messages takes an order "
                        + "(group history is always read group by group)");
            }
            if (cursor == null || cursor.isEmpty() || sql == null) {
                return; // not a keyset page query (the reader refuses a kind without sql when it is used)
            }
            for (String column : cursor) {
                if (!sql.contains(":after_" + column)) {
                    throw new IllegalArgumentException("oldsystem.queries." + kind + ".sql must filter on :after_" + column
                            + " (cursor column " + column + "), e.g. WHERE ... > :after_" + column);
                }
            }
            if (!sql.contains(":limit")) {
                throw new IllegalArgumentException("oldsystem.queries." + kind + ".sql must end with LIMIT :limit");
            }
        }
    }

    /** Rows to read for a stage's next page, after a page of {@code previous} rows (0: the stage's first page). */
    public int nextPageSize(int previous) {
        long next = previous <= 0 ? firstPageSize : (long) previous * 4;
        return (int) Math.min(pageSize, next);
    }

    public KindQuery query(String kind) {
        KindQuery query = queries.get(kind);
        if (query == null || query.sql() == null || query.sql().isBlank()) {
            throw new IllegalStateException("No old-system query configured for '" + kind
                    + "': add oldsystem.queries." + kind + ".sql to routes/old-system/mapping.yml");
        }
        return query;
    }
}
