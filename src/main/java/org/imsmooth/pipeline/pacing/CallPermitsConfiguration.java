package org.imsmooth.pipeline.pacing;

import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.imsmooth.state.StateDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the pacer's buckets live ({@code pipeline.quota-sharing}): {@code auto} (default) shares them
 * through the state database when it is PostgreSQL, the engine Bucket4j has a backend for here, and keeps
 * them in memory otherwise (H2: one instance; MySQL/MariaDB: each instance paces by itself);
 * {@code database} insists on sharing (startup fails on another engine); {@code local} never shares.
 */
@Configuration(proxyBeanMethods = false)
public class CallPermitsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CallPermitsConfiguration.class);

    @Bean
    PacingClock pacingClock() {
        return PacingClock.SYSTEM;
    }

    @Bean
    CallPermits callPermits(@Qualifier("dataSource") DataSource state, PacingClock clock,
                            @Value("${pipeline.quota-sharing:auto}") String sharing) throws SQLException {
        String mode = sharing.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("database") && !mode.equals("local")) {
            throw new IllegalArgumentException("pipeline.quota-sharing must be auto, database or local, was '" + sharing + "'");
        }
        if (mode.equals("local")) {
            return new LocalCallPermits(clock);
        }
        DatabaseDriver engine = StateDatabase.of(state);
        if (engine == DatabaseDriver.POSTGRESQL) {
            LOG.info("IM call quotas are shared by all instances through the state database (table {})", SharedCallPermits.TABLE);
            return new SharedCallPermits(state, clock);
        }
        if (mode.equals("database")) {
            throw new IllegalStateException("pipeline.quota-sharing=database needs the state database on PostgreSQL, not " + engine);
        }
        if (engine != DatabaseDriver.H2) {
            LOG.warn("State database {}: IM call quotas are paced by each instance alone; run one instance, or set "
                    + "pipeline.quota.<command> to each instance's share of the quota", engine);
        }
        return new LocalCallPermits(clock);
    }
}
