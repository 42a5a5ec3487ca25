package org.imsmooth.support;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** A state database of its own for one test: a new in-memory H2 with the service's schema (Flyway) applied. */
public final class FreshStateDatabase {

    private FreshStateDatabase() {
    }

    /** A new in-memory H2 named after {@code name} (and the time, so every call gets its own), migrated. */
    public static DataSource h2(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
