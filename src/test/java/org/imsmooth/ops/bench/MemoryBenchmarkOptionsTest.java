package org.imsmooth.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.Test;

/**
 * The memory runs' options ({@code --memory-messages} with two or three sizes, {@code --memory-state},
 * {@code --memory-postgres}, {@code --rss-every-s}), the RSS timeline's points and their Markdown, and
 * the PostgreSQL state database a run gets: made fresh, usable by the service's migrations, dropped.
 */
class MemoryBenchmarkOptionsTest {

    @Test
    void memoryRunsDefaultToTwoSizesOnH2AndTakeThreeOnPostgres() {
        BenchmarkOptions defaults = BenchmarkOptions.parse(new String[0]);
        assertThat(defaults.memorySizes()).containsExactly(100_000, 1_000_000);
        assertThat(defaults.memoryOnPostgres()).isFalse();
        assertThat(defaults.memoryPostgres()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
        assertThat(defaults.memoryPostgresUser()).isEqualTo("postgres");
        assertThat(defaults.rssEverySeconds()).isEqualTo(5);
        assertThat(BenchmarkOptions.parse(new String[] {"--quick"}).memorySizes()).containsExactly(5_000, 50_000);

        BenchmarkOptions big = BenchmarkOptions.parse(new String[] {"--memory-messages=100000,1000000,10000000",
                "--memory-state=postgresql", "--memory-postgres=jdbc:postgresql://db.example:5433/bench?ssl=false",
                "--memory-postgres-user=bench", "--rss-every-s=10"});
        assertThat(big.memorySizes()).containsExactly(100_000, 1_000_000, 10_000_000);
        assertThat(big.memorySmall()).isEqualTo(100_000);
        assertThat(big.memoryOnPostgres()).isTrue();
        assertThat(big.memoryPostgres()).isEqualTo("jdbc:postgresql://db.example:5433/bench?ssl=false");
        assertThat(big.memoryPostgresUser()).isEqualTo("bench");
        assertThat(big.rssEverySeconds()).isEqualTo(10);
    }

    @Test
    void badMemoryOptionsAreUsageErrors() {
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--memory-messages=100000"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two or three sizes");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--memory-messages=1,2,3,4"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two or three sizes");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--memory-messages=1000000,100000"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--memory-state=mysql"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--memory-state=h2|postgresql");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--memory-postgres=jdbc:h2:mem:x"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql://");
    }

    @Test
    void theStateDatabaseReplacesTheServersDatabaseInTheUrlAndKeepsItsParameters() {
        assertThat(PostgresStateDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432/test", "bench_mem_1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/bench_mem_1");
        assertThat(PostgresStateDatabase.withDatabase("jdbc:postgresql://h:1/test?sslmode=disable&x=1", "b"))
                .isEqualTo("jdbc:postgresql://h:1/b?sslmode=disable&x=1");
        assertThat(PostgresStateDatabase.withDatabase("jdbc:postgresql://h:1", "b")).isEqualTo("jdbc:postgresql://h:1/b");
    }

    @Test
    void aTimelinePointHoldsRowsImportedAndTheServicesMemory() throws Exception {
        JsonNode status = new ObjectMapper().readTree("{\"imported\": 1500, \"stages\": ["
                + "{\"stage\": \"accounts\", \"imported\": 1000}, {\"stage\": \"c2c-messages\", \"imported\": 500}]}");
        Map<String, Object> point = MigrationRun.timelinePoint(12.34, status, new ProcessMemory(512_000, 614_400));
        assertThat(point).containsEntry("s", 12.3).containsEntry("imported", 1500L).containsEntry("c2cImported", 500L)
                .containsEntry("rssMb", 500.0).containsEntry("hwmMb", 600.0);
        assertThat(MigrationRun.timelinePoint(1, status, ProcessMemory.UNKNOWN)).containsEntry("rssMb", null);
    }

    @Test
    void theMarkdownShowsARunningRunWithItsPeakSoFarAndItsTimeline() {
        Map<String, Object> done = new LinkedHashMap<>(Map.of("messages", 100_000, "finished", true, "peakRssMb", 700.0,
                "importSeconds", 80.0, "importmsgCallsPerSecond", 1500.0, "stateDatabaseMb", 60.5, "loadBefore", 3.0, "loadAfter", 4.0));
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            timeline.add(Map.of("s", i * 5.0, "c2cImported", i * 10_000L, "rssMb", 650.0 + i, "hwmMb", 700.0 + i));
        }
        Map<String, Object> running = new LinkedHashMap<>(Map.of("messages", 10_000_000, "finished", false,
                "peakRssMbSoFar", 800.0, "loadBefore", 5.0, "timeline", timeline));
        Map<String, Object> memory = new LinkedHashMap<>(Map.of("xmx", "512m", "state", "PostgreSQL", "runs", List.of(done, running),
                "ratios", Map.of()));
        Map<String, Object> results = new LinkedHashMap<>(Map.of("machine", Map.of("cores", 2), "memory", memory));
        String md = BenchmarkTable.markdown(results, Map.of());
        assertThat(md).contains("| 100000 | 700.0 | 80.0 | 1500.0 | 60.5 | 3.0 → 4.0 |")
                .contains("| 10000000 | running, 800.0 so far |")
                .contains("RSS timeline, 10000000 messages")
                .contains("| 5.0 | 10000 | 651.0 | 701.0 |")
                // the last point always, whatever the step
                .contains("| 500.0 | 1000000 | 750.0 | 800.0 |");
    }

    @Test
    void aRunsPostgresStateDatabaseIsFreshTakesTheServicesMigrationsAndIsDroppedAfter() throws Exception {
        RealServices.requirePostgres();
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--memory-state=postgresql"});
        String name;
        try (PostgresStateDatabase db = PostgresStateDatabase.create(options, 42)) {
            name = db.name();
            assertThat(name).startsWith("bench_mem_42_");
            assertThat(db.settings()).containsExactly("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + name,
                    "--spring.datasource.username=postgres");
            assertThat(db.environment()).containsKey("STATE_DB_PASSWORD");
            Flyway.configure().dataSource(db.url(), "postgres", "").locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(db.url(), "postgres", "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM id_map")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
            assertThat(db.sizeMb()).isPositive();
            db.analyze();
            try (Connection c = DriverManager.getConnection(db.url(), "postgres", "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'id_map'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            try (Connection admin = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "");
                 ResultSet rs = admin.createStatement().executeQuery("SHOW autovacuum")) {
                rs.next();
                assertThat(db.serverAutovacuum()).isEqualTo("on".equals(rs.getString(1)));
            }
        }
        try (Connection admin = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "");
             ResultSet rs = admin.createStatement().executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }
}
