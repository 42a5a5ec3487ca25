package org.imsmooth.pipeline.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.h2.jdbcx.JdbcDataSource;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Where the buckets live: shared through a PostgreSQL state database, in memory elsewhere, as configured. */
class CallPermitsConfigurationTest {

    private final CallPermitsConfiguration configuration = new CallPermitsConfiguration();

    private static JdbcDataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:permits-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return h2;
    }

    @Test
    void anEmbeddedStateDatabaseKeepsTheBucketsInMemory() throws Exception {
        assertThat(configuration.callPermits(h2(), PacingClock.SYSTEM, "auto").shared()).isFalse();
        assertThat(configuration.callPermits(h2(), PacingClock.SYSTEM, "local").shared()).isFalse();
        assertThatThrownBy(() -> configuration.callPermits(h2(), PacingClock.SYSTEM, "database"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PostgreSQL").hasMessageContaining("H2");
        assertThatThrownBy(() -> configuration.callPermits(h2(), PacingClock.SYSTEM, "cluster"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto, database or local");
    }

    @Test
    void aPostgresStateDatabaseSharesThemUnlessToldNotTo() throws Exception {
        RealServices.requirePostgres();
        DriverManagerDataSource pg = new DriverManagerDataSource(RealServices.POSTGRES_URL, "postgres", "");
        assertThat(configuration.callPermits(pg, PacingClock.SYSTEM, "auto")).isInstanceOf(SharedCallPermits.class);
        assertThat(configuration.callPermits(pg, PacingClock.SYSTEM, "database").shared()).isTrue();
        assertThat(configuration.callPermits(pg, PacingClock.SYSTEM, "local").shared()).isFalse();
    }
}
