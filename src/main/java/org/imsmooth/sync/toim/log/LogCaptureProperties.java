package org.imsmooth.sync.toim.log;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Log-based change capture of the old system ({@code log-capture}): Debezium reads PostgreSQL's logical
 * replication stream (pgoutput) or MySQL's row binlog, and each table's changes become canonical
 * changes by the table's mapping (a JSONata expression, optionally fed by a lookup query), declared
 * beside the import's queries in the old system's mapping file.
 *
 * @param connector   {@code postgres} or {@code mysql}
 * @param name        the capture's name in this deployment: Debezium's topic prefix and offset key, and
 *                    the default slot and publication names ({@code imsmooth_<name>})
 * @param hostname    the old database's host (default: from {@code oldsystem.datasource.url})
 * @param user        a user with the replication privileges (default: the old system's user)
 * @param schema      PostgreSQL: the schema of the tables (default: {@code currentSchema} of the URL, else public)
 * @param serverId    MySQL: this client's server id in the replication topology (unique)
 * @param offsetFlushMs how often Debezium stores its offsets (a restart replays at most this much; the
 *                    id map and the own-write log make a replay harmless)
 * @param pollIntervalMs how long Debezium's PostgreSQL reader sleeps when the log has nothing new (its own
 *                    default, 500 ms, was the latency of a change that arrived after a quiet moment)
 * @param queueBatchMax at most this many changes go on the broker in one transaction ({@link LogCaptureQueue})
 * @param mappingThreads rows mapped side by side (lookup query and expression), in the order read on the broker
 * @param mariadbDespiteRestartLoss start on MariaDB although the MySQL connector loses the rows written
 *                    while capture was stopped (see LogCaptureControl); off: MariaDB stays on polling
 * @param tables      per table name: the mapping to canonical changes
 */
@ConfigurationProperties("log-capture")
public record LogCaptureProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("postgres") String connector,
        @DefaultValue("imsmooth") String name,
        String hostname, Integer port, String database, String user, String password, String schema,
        String slot, String publication,
        @DefaultValue("85744") long serverId,
        @DefaultValue("1000") long offsetFlushMs,
        @DefaultValue("10") long pollIntervalMs,
        @DefaultValue("1000") int queueBatchMax,
        @DefaultValue("4") int mappingThreads,
        @DefaultValue("false") boolean mariadbDespiteRestartLoss,
        Map<String, TableMapping> tables) {

    public LogCaptureProperties {
        tables = tables == null ? Map.of() : new LinkedHashMap<>(tables);
    }

    /**
     * How one table's changes become canonical changes.
     *
     * @param lookup optional SQL on the old database with the row's columns as named parameters
     *               ({@code :conversation_id}); its first row is {@code lookup} in the expression's input
     * @param change a JSONata expression over {@code {op, table, before, after, row, lookup, committed_at,
     *               position}} giving a change object (canonical field names, plus {@code change}: c2c_message,
     *               group_message or group_event), an array of them, or nothing (the row change is not a chat change)
     */
    public record TableMapping(String lookup, String change) {
    }

    public String slotName() {
        return slot != null && !slot.isBlank() ? slot : "imsmooth_" + name.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT);
    }

    public String publicationName() {
        return publication != null && !publication.isBlank() ? publication : slotName();
    }
}
