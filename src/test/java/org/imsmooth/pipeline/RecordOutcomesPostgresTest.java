package org.imsmooth.pipeline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link RecordOutcomesTest} on PostgreSQL, where the id map's first INSERT skips an existing old id
 * ({@code ON CONFLICT DO NOTHING}) rather than failing: a failed statement aborts the state writer's
 * shared transaction there. A fresh schema per test.
 */
class RecordOutcomesPostgresTest extends RecordOutcomesTest {

    private String schema;
    private HikariDataSource pool;

    @Override
    protected javax.sql.DataSource stateDatabaseForTest() {
        RealServices.requirePostgres();
        schema = "record_outcomes_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            admin.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        pool = new HikariDataSource();
        pool.setJdbcUrl(RealServices.POSTGRES_URL + "?currentSchema=" + schema);
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(6);
        return pool;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (pool != null) {
            pool.close();
        }
        try (Connection admin = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            admin.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
