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
     * failed in CI), migrated; closing the data source drops the schema.
     */
    public static HikariDataSource postgres(String name) {
        RealServices.requirePostgres();
        String schema = name + "_" + System.nanoTime();
        return create(RealServices.POSTGRES_URL, "postgres", "CREATE SCHEMA " + schema,
                RealServices.POSTGRES_URL + "?currentSchema=" + schema, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** As {@link #postgres}, a new database on the machine's MariaDB ({@link RealServices#requireMariaDb}). */
    public static HikariDataSource mariaDb(String name) {
        RealServices.requireMariaDb();
        String database = name + "_" + System.nanoTime();
        return create(RealServices.MARIADB_URL, "root", "CREATE DATABASE " + database,
                "jdbc:mariadb://127.0.0.1:3306/" + database, "DROP DATABASE IF EXISTS " + database);
    }

    /** Closing the test's data source (see {@link #postgres}) drops what it made; an in-memory H2 has nothing to close. */
    public static void close(DataSource dataSource) {
        if (dataSource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not drop the test's database: " + e.getMessage(), e);
            }
        }
    }

    private static HikariDataSource create(String adminUrl, String user, String createSql, String url, String dropSql) {
        admin(adminUrl, user, createSql);
        HikariDataSource pool = new HikariDataSource() {
            @Override
            public void close() {
                super.close();
                admin(adminUrl, user, dropSql);
            }
        };
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setMaximumPoolSize(6);
        migrate(pool);
        return pool;
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    private static void admin(String url, String user, String sql) {
        try (Connection admin = DriverManager.getConnection(url, user, "")) {
            admin.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
