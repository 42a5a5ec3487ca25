package org.imsmooth.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** One holder at a time; renewals skip the database only while no one else could take the lease anyway. */
class DatabaseLeaseTest {

    private JdbcTemplate jdbc;

    @BeforeEach
    void stateDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:lease-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void aSecondInstanceGetsTheLeaseOnlyOnceTheHolderStoppedRenewingIt() throws Exception {
        DatabaseLease first = new DatabaseLease(jdbc, "import") { };
        DatabaseLease second = new DatabaseLease(jdbc, "import") { };
        Duration ttl = Duration.ofSeconds(3);

        assertThat(second.acquire(ttl)).as("a fresh instance asks the database").isTrue();
        assertThat(first.acquire(ttl)).isFalse();
        Timestamp expires = expiry();
        assertThat(second.acquire(ttl)).isTrue();
        assertThat(expiry()).as("renewed within the first third of the lease: no write").isEqualTo(expires);

        Thread.sleep(1_200); // past a third: the next renewal writes
        assertThat(second.acquire(ttl)).isTrue();
        assertThat(expiry()).isAfter(expires);
        assertThat(first.acquire(ttl)).isFalse();

        Thread.sleep(3_200); // the holder stopped renewing: the lease expired
        assertThat(first.acquire(ttl)).isTrue();
        assertThat(second.acquire(ttl)).as("the old holder learns it lost the lease").isFalse();
    }

    private Timestamp expiry() {
        return jdbc.queryForObject("SELECT expires_at FROM migration_lease WHERE name = 'import'", Timestamp.class);
    }
}
