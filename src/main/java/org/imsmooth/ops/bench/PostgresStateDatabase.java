package org.imsmooth.ops.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one memory run's state ({@code --memory-state=postgresql}):
 * {@code bench_mem_<messages>_<random>}, made through the server of {@code --memory-postgres},
 * handed to the measured service as {@code spring.datasource.*} (the password in its environment,
 * never on its command line), and dropped after the run unless {@code --keep}.
 */
final class PostgresStateDatabase implements AutoCloseable {

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String name;
    private final boolean keep;

    private PostgresStateDatabase(String adminUrl, String user, String password, String name, boolean keep) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.keep = keep;
    }

    static PostgresStateDatabase create(BenchmarkOptions options, int messages) throws SQLException {
        String name = "bench_mem_" + messages + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String password = System.getenv().getOrDefault("PGPASSWORD", "");
        try (Connection admin = DriverManager.getConnection(options.memoryPostgres(), options.memoryPostgresUser(), password);
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return new PostgresStateDatabase(options.memoryPostgres(), options.memoryPostgresUser(), password, name, options.keep());
    }

    /** {@code url} with its database (the path after host:port) replaced by {@code database}; parameters kept. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int slash = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String host = url.substring(0, slash >= 0 ? slash : query >= 0 ? query : url.length());
        return host + "/" + database + (query >= 0 ? url.substring(query) : "");
    }

    String name() {
        return name;
    }

    String url() {
        return withDatabase(adminUrl, name);
    }

    /** The measured service's settings for this state database. */
    List<String> settings() {
        return List.of("--spring.datasource.url=" + url(), "--spring.datasource.username=" + user);
    }

    Map<String, String> environment() {
        return Map.of("STATE_DB_PASSWORD", password);
    }

    /** Whether the server runs autovacuum (and with it the auto-analyze that keeps the state tables' plans right). */
    boolean serverAutovacuum() {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SHOW autovacuum")) {
            return rs.next() && "on".equalsIgnoreCase(rs.getString(1));
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * {@code ANALYZE} of the run's database: what auto-analyze does on a server with autovacuum on, so
     * that a run measures the service as it runs in production (the id map's batch lookups no longer
     * depend on statistics, but the status page's and the reconciliation's queries still do).
     */
    void analyze() {
        try (Connection c = DriverManager.getConnection(url(), user, password); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        } catch (SQLException e) {
            System.out.printf("[bench] ANALYZE of %s failed: %s%n", name, e.getMessage());
        }
    }

    /** {@code pg_database_size} in MB, one decimal; -1 when it cannot be read. */
    double sizeMb() {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_database_size('" + name + "')")) {
            return rs.next() ? Math.round(rs.getLong(1) / 104857.6) / 10.0 : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public void close() throws SQLException {
        if (keep) {
            System.out.printf("[bench] kept the state database %s%n", name);
            return;
        }
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
