package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A database lease so that one instance at a time reads the old system, while every instance on the
 * same broker and database consumes the work queues. Renewed on every orchestrator tick.
 */
@Component
public class OrchestratorLease {

    private static final String NAME = "import-orchestrator";

    private final JdbcTemplate jdbc;
    private final String owner = UUID.randomUUID().toString();

    public OrchestratorLease(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes or renews the lease; true while this instance holds it. */
    public boolean acquire(Duration ttl) {
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp until = Timestamp.from(Instant.now().plus(ttl));
        int updated = jdbc.update("UPDATE migration_lease SET owner = ?, expires_at = ? WHERE name = ? AND (owner = ? OR expires_at < ?)",
                owner, until, NAME, owner, now);
        if (updated == 1) {
            return true;
        }
        try {
            return jdbc.update("INSERT INTO migration_lease (name, owner, expires_at) VALUES (?,?,?)", NAME, owner, until) == 1;
        } catch (DuplicateKeyException held) {
            return false;
        }
    }

    public void release() {
        jdbc.update("DELETE FROM migration_lease WHERE name = ? AND owner = ?", NAME, owner);
    }

    public String owner() {
        return owner;
    }
}
