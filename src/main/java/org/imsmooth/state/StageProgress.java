package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Durable per-stage counters (table {@code stage_progress}). Workers add to them as batches finish;
 * increments are single UPDATE statements, so several instances can count into the same row.
 */
@Component("stageProgress")
public class StageProgress {

    public record Counters(String stage, String state, long total, long imported, long skipped, long deadLettered,
                           long truncated, Instant startedAt, Instant finishedAt) {
        public long accounted() {
            return imported + deadLettered;
        }
    }

    private final JdbcTemplate jdbc;
    /** A dry run writes no ledger to rebuild from: its counters are only counters. */
    private final boolean dryRun;

    public StageProgress(JdbcTemplate jdbc, @Value("${migration.dry-run:false}") boolean dryRun) {
        this.jdbc = jdbc;
        this.dryRun = dryRun;
    }

    public void imported(String stage, long n) {
        add(stage, "imported", n);
    }

    public void skipped(String stage, long n) {
        add(stage, "skipped", n);
    }

    public void deadLettered(String stage, long n) {
        add(stage, "dead_lettered", n);
    }

    public void truncated(String stage, long n) {
        add(stage, "truncated", n);
    }

    /**
     * Marks the stage as reading (first start or resume) with the old system's current total. A resumed
     * stage's counters are first rebuilt from the ledger ({@link #rebuildFromLedger}).
     */
    public void start(String stage, long total) {
        Timestamp now = Timestamp.from(Instant.now());
        ensure(stage);
        if (!dryRun) {
            rebuildFromLedger(stage);
        }
        jdbc.update("UPDATE stage_progress SET state = 'reading', total = ?, started_at = COALESCE(started_at, ?), updated_at = ? "
                + "WHERE stage = ?", total, now, now, stage);
    }

    public void state(String stage, String state) {
        ensure(stage);
        jdbc.update("UPDATE stage_progress SET state = ?, updated_at = ? WHERE stage = ?", state, Timestamp.from(Instant.now()), stage);
    }

    /**
     * Sets the stage's imported, dead-lettered and truncated counters to what the id map (the ledger)
     * holds: records acknowledged, records rejected (each once, whatever number of times it was
     * dead-lettered), and those imported with a cut text. The skipped counter has no ledger; it stays.
     */
    public void rebuildFromLedger(String stage) {
        ensure(stage);
        // The stage's row is locked first, in a transaction of its own: a worker's outcome write adds its
        // id map rows, then its count, in one transaction. A write that counted already holds the row: the
        // lock waits for its commit, and the counts below (each statement reads what is committed) see its
        // rows; a write still adding rows waits for this lock to count them on top. Without the lock, an
        // UPDATE computing the counts read them before such a write committed, then overwrote its count.
        jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Void>) con -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try {
                try (var lock = con.prepareStatement("SELECT stage FROM stage_progress WHERE stage = ? FOR UPDATE")) {
                    lock.setString(1, stage);
                    lock.executeQuery().close();
                }
                long imported = count(con, stage, "state = 'done'");
                long deadLettered = count(con, stage, "state IN ('rejected', 'failed')");
                long truncated = count(con, stage, "state = 'done' AND detail LIKE 'truncated%'");
                try (var update = con.prepareStatement("UPDATE stage_progress SET imported = ?, dead_lettered = ?, truncated = ?, "
                        + "updated_at = ? WHERE stage = ?")) {
                    update.setLong(1, imported);
                    update.setLong(2, deadLettered);
                    update.setLong(3, truncated);
                    update.setTimestamp(4, Timestamp.from(Instant.now()));
                    update.setString(5, stage);
                    update.executeUpdate();
                }
                con.commit();
            } catch (java.sql.SQLException | RuntimeException e) {
                con.rollback();
                throw e;
            } finally {
                con.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private static long count(java.sql.Connection con, String stage, String condition) throws java.sql.SQLException {
        try (var ps = con.prepareStatement("SELECT COUNT(*) FROM id_map WHERE kind = ? AND " + condition)) {
            ps.setString(1, stage);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public String stateOf(String stage) {
        return of(stage).map(Counters::state).orElse("pending");
    }

    public void finish(String stage, String state) {
        Timestamp now = Timestamp.from(Instant.now());
        ensure(stage);
        jdbc.update("UPDATE stage_progress SET state = ?, finished_at = ?, updated_at = ? WHERE stage = ?", state, now, now, stage);
    }

    public Optional<Counters> of(String stage) {
        return jdbc.query("SELECT * FROM stage_progress WHERE stage = ?", (rs, i) -> map(rs), stage).stream().findFirst();
    }

    public List<Counters> all() {
        return jdbc.query("SELECT * FROM stage_progress ORDER BY stage", (rs, i) -> map(rs));
    }

    private void add(String stage, String column, long n) {
        if (n == 0) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive() && TransactionSynchronizationManager.isActualTransactionActive()) {
            transactionDeltas().add(stage, column, n);
            return;
        }
        increment(stage, column, n);
    }

    /**
     * Increments made inside a transaction (the state writer's group commit: hundreds of IM calls'
     * outcomes) are summed per stage and written once, just before it commits: one UPDATE per stage
     * and counter rather than one per call, and the stage's row is locked only from there to the
     * commit. A worker's autocommit increment, or {@link #rebuildFromLedger}, waits for that lock: it
     * used to be held for the whole group transaction (on PostgreSQL, hundreds of round trips).
     * Rows are locked in stage order, so two instances' writers never wait for each other in a cycle.
     */
    private Deltas transactionDeltas() {
        Deltas deltas = (Deltas) TransactionSynchronizationManager.getResource(this);
        if (deltas == null) {
            Deltas created = new Deltas();
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    created.sums.forEach((stageAndColumn, n) -> increment(stageAndColumn.stage(), stageAndColumn.column(), n));
                    created.sums.clear();
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(StageProgress.this);
                }
            });
            deltas = created;
        }
        return deltas;
    }

    /** A transaction's pending increments, per stage and counter, in stage order. */
    private static final class Deltas {
        private final java.util.TreeMap<StageColumn, Long> sums = new java.util.TreeMap<>(
                java.util.Comparator.comparing(StageColumn::stage).thenComparing(StageColumn::column));

        void add(String stage, String column, long n) {
            sums.merge(new StageColumn(stage, column), n, Long::sum);
        }
    }

    private record StageColumn(String stage, String column) {
    }

    private void increment(String stage, String column, long n) {
        if (n == 0) {
            return;
        }
        // every imported record counts here: one statement when the row exists (always, after the first)
        String increment = "UPDATE stage_progress SET " + column + " = " + column + " + ?, updated_at = ? WHERE stage = ?";
        if (jdbc.update(increment, n, Timestamp.from(Instant.now()), stage) == 0) {
            ensure(stage);
            jdbc.update(increment, n, Timestamp.from(Instant.now()), stage);
        }
    }

    private void ensure(String stage) {
        Integer exists = jdbc.queryForObject("SELECT COUNT(*) FROM stage_progress WHERE stage = ?", Integer.class, stage);
        if (exists != null && exists == 0) {
            try {
                jdbc.update("INSERT INTO stage_progress (stage, state, total, imported, skipped, dead_lettered, truncated, updated_at) "
                        + "VALUES (?, 'pending', 0, 0, 0, 0, 0, ?)", stage, Timestamp.from(Instant.now()));
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                // another instance created it
            }
        }
    }

    private static Counters map(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp started = rs.getTimestamp("started_at");
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Counters(rs.getString("stage"), rs.getString("state"), rs.getLong("total"), rs.getLong("imported"),
                rs.getLong("skipped"), rs.getLong("dead_lettered"), rs.getLong("truncated"),
                started == null ? null : started.toInstant(), finished == null ? null : finished.toInstant());
    }
}
