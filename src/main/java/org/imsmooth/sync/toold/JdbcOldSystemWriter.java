package org.imsmooth.sync.toold;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.sync.OwnWrites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The default writer: the SQL statements of {@code sync.im-to-old.jdbc.<kind>} over the old
 * system's DataSource, one transaction per event. The kind's {@code exists} query runs in the same
 * transaction as the inserts, so a redelivered event finds its row (by im_ref or key) and writes
 * nothing. New ids (for writes that ask with {@code id} = null) come from the kind's {@code next-id} query (MAX+1 by default; a sequence in your
 * schema); two consumers that drew the same id collide on the primary key and the loser retries.
 */
public class JdbcOldSystemWriter implements OldSystemWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcOldSystemWriter.class);
    static final int ID_RACE_ATTEMPTS = 10;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Map<String, ImToOldProperties.JdbcWrite> specs;
    private final Map<String, AtomicLong> lastDrawn = new ConcurrentHashMap<>();
    private final OwnWrites ownWrites;

    public JdbcOldSystemWriter(@Qualifier("oldSystemDataSource") DataSource oldSystem, ImToOldProperties properties, OwnWrites ownWrites) {
        this.ownWrites = ownWrites;
        this.jdbc = new NamedParameterJdbcTemplate(oldSystem);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(oldSystem));
        this.specs = properties.jdbc();
        if (specs.isEmpty()) {
            // a missing sync-writes.yml would otherwise drop every IM event without a word
            LOG.warn("sync.im-to-old.jdbc has no write statements: IM events will not reach the old system "
                    + "(is routes/old-system/sync-writes.yml imported? see OLD_SYSTEM_SYNC_WRITES)");
        }
    }

    @Override
    public Outcome write(String sourceId, List<OldSystemWrite> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> writeAll(writes));
            } catch (DuplicateKeyException race) {
                if (attempt >= ID_RACE_ATTEMPTS) {
                    throw rejected(sourceId, race);
                }
                LOG.debug("old id drawn twice for {}, drawing again (attempt {})", sourceId, attempt);
            } catch (DataAccessException e) {
                if (OldSystemOutage.isOutage(e)) {
                    throw e;
                }
                throw rejected(sourceId, e);
            }
        }
    }

    private Outcome writeAll(List<OldSystemWrite> writes) {
        Object mainId = null;
        boolean mainExisted = false;
        List<OwnWrites.OwnRow> own = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            OldSystemWrite write = writes.get(i);
            ImToOldProperties.JdbcWrite spec = specs.get(write.kind());
            if (spec == null) {
                // a kind left out of the configuration is not written, on purpose
                continue;
            }
            Map<String, Object> params = new HashMap<>(write.params());
            Object existing = spec.exists() == null ? null : first(spec.exists(), params);
            if (existing != null) {
                if (i == 0) {
                    mainId = existing;
                    mainExisted = true;
                }
                continue;
            }
            // a write asks for a new old id with "id" = null (messages); a group's old id comes with it
            if (spec.nextId() != null && params.containsKey("id") && params.get("id") == null) {
                params.put("id", distinct(write.kind(), first(spec.nextId(), params)));
            }
            for (String sql : spec.statements()) {
                int rows = jdbc.update(sql, params);
                LOG.debug("{}: {} row(s) by {}", write.kind(), rows, sql);
            }
            for (ImToOldProperties.OwnRow row : spec.ownRows()) {
                own.add(new OwnWrites.OwnRow(row.table(), row.op(), columns(row.key(), params), columns(row.values(), params),
                        Boolean.TRUE.equals(row.many())));
            }
            if (i == 0) {
                mainId = params.containsKey("id") ? params.get("id") : params.get("group_id");
            }
        }
        // recorded in the state database before the old system's transaction commits, so change capture
        // knows these rows before it can read them from the log
        ownWrites.record(own);
        return new Outcome(mainId, mainExisted);
    }

    /** Column -> parameter name, as column -> the parameter's value (text). */
    private static Map<String, String> columns(Map<String, String> byParameter, Map<String, Object> params) {
        Map<String, String> columns = new HashMap<>();
        byParameter.forEach((column, parameter) -> columns.put(column, OwnWrites.text(params.get(parameter))));
        return columns;
    }

    @Override
    public Object nextId(String kind) {
        ImToOldProperties.JdbcWrite spec = specs.get(kind);
        if (spec == null || spec.nextId() == null) {
            return null;
        }
        try {
            return jdbc.queryForObject(spec.nextId(), Map.of(), Object.class);
        } catch (DataAccessException e) {
            if (OldSystemOutage.isOutage(e)) {
                throw e;
            }
            throw rejected(kind, e);
        }
    }

    /**
     * Concurrent consumers read the same MAX+1 and would collide on the primary key (one waits for the
     * other's commit, then retries); numbering past the last id this process drew avoids that. Only a
     * hint: the database stays the judge (another instance or the old app itself still collide and retry).
     */
    private Object distinct(String kind, Object next) {
        if (!(next instanceof Number number)) {
            return next;
        }
        long candidate = number.longValue();
        return lastDrawn.computeIfAbsent(kind, k -> new AtomicLong(Long.MIN_VALUE))
                .accumulateAndGet(candidate, (last, fresh) -> Math.max(last + 1, fresh));
    }

    private Object first(String sql, Map<String, Object> params) {
        List<Object> rows = jdbc.query(sql, params, (rs, n) -> rs.getObject(1));
        return rows.isEmpty() ? null : rows.get(0) == null ? Boolean.TRUE : rows.get(0);
    }

    private static RejectedRecordException rejected(String sourceId, DataAccessException e) {
        Throwable root = e.getMostSpecificCause();
        return new RejectedRecordException(sourceId, "old system refused the write: " + root.getMessage());
    }
}
