package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A named lease in table {@code migration_lease}: one instance at a time holds it, renewing it from
 * its ticks; a lease that is not renewed expires and another instance takes over. A holder renews it
 * once a third of its time has passed, not on every tick: each renewal is a commit, and the embedded
 * state database stores a chunk at every commit (the import orchestrator's twenty renewals a second
 * were 8% of the service's CPU samples during an unthrottled import).
 */
public class DatabaseLease {

    private final JdbcTemplate jdbc;
    private final String name;
    private final Clock clock;
    /** {@code <instance id>/<random>}: unique per lease object, and any instance can tell who holds the lease. */
    private final String owner;
    /** When the lease this instance last took or renewed expires (epoch ms); 0 when not held. */
    private volatile long heldUntil;

    protected DatabaseLease(JdbcTemplate jdbc, String name) {
        this(jdbc, name, Clock.systemUTC());
    }

    /** With the clock that dates the lease (instances compare each other's dates: keep hosts in step). */
    protected DatabaseLease(JdbcTemplate jdbc, String name, Clock clock) {
        this(jdbc, name, clock, null);
    }

    /** Held in the name of this instance ({@link #holder()} tells the others). */
    protected DatabaseLease(JdbcTemplate jdbc, String name, InstanceId instance) {
        this(jdbc, name, Clock.systemUTC(), instance);
    }

    private DatabaseLease(JdbcTemplate jdbc, String name, Clock clock, InstanceId instance) {
        this.jdbc = jdbc;
        this.name = name;
        this.clock = clock;
        String random = UUID.randomUUID().toString();
        String id = instance == null ? null : instance.id();
        this.owner = id == null ? random : (id.length() > 150 ? id.substring(0, 150) : id) + "/" + random;
    }

    /** Whether this instance holds the lease now (as of its last take or renewal). */
    public boolean held() {
        return heldUntil > clock.millis();
    }

    /** The instance holding the lease now (its id, or the holder's random owner name), if any does. */
    public Optional<String> holder() {
        return jdbc.query("SELECT owner FROM migration_lease WHERE name = ? AND expires_at >= ?",
                        (rs, i) -> rs.getString(1), name, Timestamp.from(clock.instant())).stream().findFirst()
                .map(o -> o.contains("/") ? o.substring(0, o.lastIndexOf('/')) : o);
    }

    public String name() {
        return name;
    }

    /** Takes or renews the lease; true while this instance holds it. */
    public boolean acquire(Duration ttl) {
        Instant start = clock.instant();
        // held with more than two thirds of its time left: no other instance can take it before then
        if (heldUntil - start.toEpochMilli() > ttl.toMillis() * 2 / 3) {
            return true;
        }
        Timestamp now = Timestamp.from(start);
        Timestamp until = Timestamp.from(start.plus(ttl));
        boolean held = jdbc.update("UPDATE migration_lease SET owner = ?, expires_at = ? WHERE name = ? AND (owner = ? OR expires_at < ?)",
                owner, until, name, owner, now) == 1 || insert(until);
        heldUntil = held ? until.getTime() : 0;
        return held;
    }

    private boolean insert(Timestamp until) {
        try {
            return jdbc.update("INSERT INTO migration_lease (name, owner, expires_at) VALUES (?,?,?)", name, owner, until) == 1;
        } catch (DuplicateKeyException held) {
            return false;
        }
    }

    public void release() {
        heldUntil = 0;
        jdbc.update("DELETE FROM migration_lease WHERE name = ? AND owner = ?", name, owner);
    }

    public String owner() {
        return owner;
    }
}
