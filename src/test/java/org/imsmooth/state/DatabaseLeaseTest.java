package org.imsmooth.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.imsmooth.support.FreshStateDatabase;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** One holder at a time; renewals skip the database only while no one else could take the lease anyway. */
class DatabaseLeaseTest {

    private JdbcTemplate jdbc;

    @BeforeEach
    void stateDatabase() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("lease");
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void aSecondInstanceGetsTheLeaseOnlyOnceTheHolderStoppedRenewingIt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
        DatabaseLease first = new DatabaseLease(jdbc, "import", clock) { };
        DatabaseLease second = new DatabaseLease(jdbc, "import", clock) { };
        Duration ttl = Duration.ofSeconds(3);

        assertThat(second.acquire(ttl)).as("a fresh instance asks the database").isTrue();
        assertThat(first.acquire(ttl)).isFalse();
        Timestamp expires = expiry();
        assertThat(second.acquire(ttl)).isTrue();
        assertThat(expiry()).as("renewed within the first third of the lease: no write").isEqualTo(expires);

        clock.advance(Duration.ofMillis(999));
        assertThat(second.acquire(ttl)).isTrue();
        assertThat(expiry()).as("still within the first third").isEqualTo(expires);
        clock.advance(Duration.ofMillis(2)); // past a third: the next renewal writes
        assertThat(second.acquire(ttl)).isTrue();
        assertThat(expiry()).isAfter(expires);
        assertThat(first.acquire(ttl)).isFalse();

        clock.advance(Duration.ofMillis(2_999));
        assertThat(first.acquire(ttl)).as("the renewed lease has not expired yet").isFalse();
        clock.advance(Duration.ofMillis(2)); // the holder stopped renewing: the lease expired
        assertThat(first.acquire(ttl)).isTrue();
        assertThat(second.acquire(ttl)).as("the old holder learns it lost the lease").isFalse();
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private Timestamp expiry() {
        return jdbc.queryForObject("SELECT expires_at FROM migration_lease WHERE name = 'import'", Timestamp.class);
    }
}
