package org.imsmooth.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded H2 state file from growing without bound. The state database runs with
 * {@code WRITE_DELAY=0} so that a kill -9 loses no committed id map row; H2 then stores a chunk at
 * every commit and, with no write delay, runs no background writer, and the background writer is
 * what compacts. Every commit of the import rewrites pages of the id map's indexes, each chunk keeps
 * a few live pages, nothing frees it: the demo import left a 274 MB file for 75,000 id map rows, and
 * 200,000 rows of a 1:1 history grew it to 2.6 GB (about 13 KB a message, so terabytes for a real
 * app). This task does the background writer's compaction: it rewrites the live pages of sparse
 * chunks so their space is reused, and lets dead chunks go after {@link #RETENTION_MS} instead of
 * H2's 45 s (old chunks protect against a torn write on power loss, which the state database does
 * not claim: without fsync only a process crash is covered). Nothing happens for other databases
 * (PostgreSQL, MariaDB), for H2 with a write delay (its own writer compacts), or for a process that
 * reaches the file through another one's {@code AUTO_SERVER}.
 */
@Component
public class H2FileHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(H2FileHousekeeping.class);

    /** How often the compaction runs. */
    static final long INTERVAL_MS = 1000;
    /** Chunks whose live share is below this are rewritten (percent; H2's background writer uses 90). */
    static final int TARGET_FILL_RATE = 25;
    /** Bytes rewritten per step at most, so one step holds the store lock briefly. */
    static final int WRITE_LIMIT = 4 << 20;
    /** Steps of one run at most: a run goes on while steps rewrite something. */
    static final int MAX_STEPS = 1;
    /** How long a chunk no longer referenced keeps its space (H2's default is 45 s). */
    static final int RETENTION_MS = 1000;

    private final DataSource state;
    private final long intervalMs;
    private final int retentionMs;
    private ScheduledExecutorService timer;
    private volatile MVStore store;

    @Autowired
    public H2FileHousekeeping(@Qualifier("dataSource") DataSource state) {
        this(state, INTERVAL_MS, RETENTION_MS);
    }

    /** With other timings (a test writing far faster than an import). */
    H2FileHousekeeping(DataSource state, long intervalMs, int retentionMs) {
        this.state = state;
        this.intervalMs = intervalMs;
        this.retentionMs = retentionMs;
    }

    @PostConstruct
    void start() {
        store = storeWithoutWriteDelay(state).orElse(null);
        if (store == null) {
            return;
        }
        store.setRetentionTime(retentionMs);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "state-file-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::compact, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info("state database: H2 file with WRITE_DELAY=0, compacted every {} ms", intervalMs);
    }

    /** One compaction run; false once the store is closed (shutdown). */
    boolean compact() {
        MVStore s = store;
        if (s == null || s.isClosed()) {
            return false;
        }
        try {
            for (int step = 0; step < MAX_STEPS && s.compact(TARGET_FILL_RATE, WRITE_LIMIT); step++) {
                // the import can free chunks faster than one step per interval rewrites them
            }
            return true;
        } catch (MVStoreException closedMeanwhile) {
            if (!s.isClosed()) {
                LOG.warn("state database compaction failed: {}", closedMeanwhile.getMessage());
            }
            return false;
        }
    }

    /** The MVStore behind {@code dataSource} when it is an embedded H2 file opened with WRITE_DELAY=0. */
    static Optional<MVStore> storeWithoutWriteDelay(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)
                    || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return Optional.empty();
            }
            var db = session.getDatabase();
            if (!db.isPersistent() || db.getStore() == null) {
                return Optional.empty();
            }
            MVStore mv = db.getStore().getMvStore();
            return mv.getFileStore() != null && mv.getAutoCommitDelay() == 0 ? Optional.of(mv) : Optional.empty();
        } catch (SQLException | RuntimeException notH2) {
            LOG.debug("state database housekeeping not applicable: {}", notH2.getMessage());
            return Optional.empty();
        }
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            // no interrupt: an interrupted file write closes H2's file channel
            timer.shutdown();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
