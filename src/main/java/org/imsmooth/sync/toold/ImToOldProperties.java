package org.imsmooth.sync.toold;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How IM events are written into the old system ({@code sync.im-to-old}, in
 * {@code routes/old-system/sync-writes.yml}): per write kind either SQL statements over JDBC or an
 * HTTP call to the old system's API. Write kinds: c2c-message, group-message, group-created,
 * member-joined, member-left, group-changed, group-destroyed.
 *
 * @param writer       {@code jdbc} (default) or {@code http}
 * @param jdbc         per write kind: an optional {@code exists} query (a row = already written,
 *                     its first column the old id), an optional {@code next-id} query, and the statements
 * @param http         per write kind: URL and JSON body template
 * @param retryBackoff first wait while the old system is unreachable; doubles up to {@code maxBackoff}
 */
@ConfigurationProperties("sync.im-to-old")
public record ImToOldProperties(
        @DefaultValue("jdbc") String writer,
        Map<String, JdbcWrite> jdbc,
        Map<String, HttpWrite> http,
        @DefaultValue("100ms") Duration retryBackoff,
        @DefaultValue("5s") Duration maxBackoff) {

    public ImToOldProperties {
        jdbc = jdbc == null ? Map.of() : Map.copyOf(jdbc);
        http = http == null ? Map.of() : Map.copyOf(http);
    }

    /** SQL with named parameters (:name); see sync-writes.yml for the parameters of each kind. */
    public record JdbcWrite(String exists, String nextId, List<String> statements, List<OwnRow> ownRows) {
        public JdbcWrite {
            statements = statements == null ? List.of() : List.copyOf(statements);
            ownRows = ownRows == null ? List.of() : List.copyOf(ownRows);
        }
    }

    /**
     * A row the statements write, declared so that log-based change capture recognises it and does not
     * send it back to IM: the table, the operation (insert / update / delete), the key columns and the
     * values set, each column given by the name of a write parameter ({@code group_id}, {@code id}...).
     * {@code many}: the key selects several rows (every member of a destroyed group).
     */
    public record OwnRow(String table, String op, Map<String, String> key, Map<String, String> values, Boolean many) {
        public OwnRow {
            key = key == null ? Map.of() : Map.copyOf(key);
            values = values == null ? Map.of() : Map.copyOf(values);
        }
    }

    /** POST {@code url} with {@code body}, where {@code {{name}}} is replaced by the parameter as a JSON value. */
    public record HttpWrite(String url, String body) {
    }
}
