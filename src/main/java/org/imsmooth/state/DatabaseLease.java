package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A named lease in table {@code migration_lease}: one instance at a time holds it, renewing it on
 * every tick; a lease that is not renewed expires and another instance takes over.
 */
public class DatabaseLease {

    private final JdbcTemplate jdbc;
    private final String name;
    private final String owner = UUID.randomUUID().toString();

    protected DatabaseLease(JdbcTemplate jdbc, String name) {
        this.jdbc = jdbc;
        this.name = name;
    }

    /** Takes or renews the lease; true while this instance holds it. */
    public boolean acquire(Duration ttl) {
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp until = Timestamp.from(Instant.now().plus(ttl));
        int updated = jdbc.update("UPDATE migration_lease SET owner = ?, expires_at = ? WHERE name = ? AND (owner = ? OR expires_at < ?)",
                owner, until, name, owner, now);
        if (updated == 1) {
            return true;
        }
        try {
            return jdbc.update("INSERT INTO migration_lease (name, owner, expires_at) VALUES (?,?,?)", name, owner, until) == 1;
        } catch (DuplicateKeyException held) {
            return false;
        }
    }

    public void release() {
        jdbc.update("DELETE FROM migration_lease WHERE name = ? AND owner = ?", name, owner);
    }

    public String owner() {
        return owner;
    }
}
