package org.imsmooth.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** A state database of its own for one test, with the service's schema (Flyway) applied. */
public final class FreshStateDatabase {

    private FreshStateDatabase() {
    }

    /** A new in-memory H2 named after {@code name} (and the time, so every call gets its own), migrated. */
    public static DataSource h2(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        migrate(dataSource);
        return dataSource;
    }

    /**
     * A new schema on the machine's PostgreSQL ({@link RealServices#requirePostgres}: skipped without it,
     * failed in CI), migrated; closing it drops the schema.
     */
    public static PostgresSchema postgres(String name) {
        RealServices.requirePostgres();
        String schema = name + "_" + System.nanoTime();
        admin("CREATE SCHEMA " + schema);
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(RealServices.POSTGRES_URL + "?currentSchema=" + schema);
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(6);
        migrate(pool);
        return new PostgresSchema(schema, pool);
    }

    /** A PostgreSQL schema of one test and its connection pool. */
    public record PostgresSchema(String schema, HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
            admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    private static void admin(String sql) {
        try (Connection admin = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            admin.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
