package org.imsmooth.ops.control;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.imsmooth.pipeline.PausedStages;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Paused stages in the state database (table {@code stage_control}, Flyway V4), so every instance
 * sees the same pause and it survives a restart. Readers ask once per page and the orchestrator on
 * every tick; a short-lived snapshot keeps that to a few queries per second.
 */
@Component
public class StagePauseStore implements PausedStages {

    private static final long SNAPSHOT_MS = 500;

    private final JdbcTemplate jdbc;
    private volatile Set<String> snapshot = Set.of();
    private volatile long snapshotAt;

    public StagePauseStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean isPaused(String stage) {
        if (System.currentTimeMillis() - snapshotAt > SNAPSHOT_MS) {
            paused();
        }
        return snapshot.contains(stage);
    }

    /** The paused stages, read now. */
    public Set<String> paused() {
        Set<String> now = new HashSet<>(jdbc.queryForList("SELECT stage FROM stage_control WHERE paused = TRUE", String.class));
        snapshot = Set.copyOf(now);
        snapshotAt = System.currentTimeMillis();
        return snapshot;
    }

    public void set(String stage, boolean paused, String operator) {
        Timestamp now = Timestamp.from(Instant.now());
        int updated = jdbc.update("UPDATE stage_control SET paused = ?, changed_by = ?, changed_at = ? WHERE stage = ?",
                paused, operator, now, stage);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO stage_control (stage, paused, changed_by, changed_at) VALUES (?, ?, ?, ?)",
                        stage, paused, operator, now);
            } catch (DuplicateKeyException raced) {
                jdbc.update("UPDATE stage_control SET paused = ?, changed_by = ?, changed_at = ? WHERE stage = ?",
                        paused, operator, now, stage);
            }
        }
        snapshotAt = 0;
    }
}
