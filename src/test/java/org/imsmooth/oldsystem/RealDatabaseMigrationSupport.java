package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.imsmooth.support.RealServices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The whole demo migration with the old system on a real database server: the reference schema
 * and demo data are created there, every stage runs through its YAML pipeline into the sandbox,
 * and the reconciliation (old rows vs id map vs IM read-back) must balance.
 */
abstract class RealDatabaseMigrationSupport {

    static final String DEMO_SIZES = "oldsystem.demo.users=60";

    @Autowired ReconciliationOnFinish reconciliation;

    /** What the reconciliation must show for one kind: old rows, imported, dead-lettered, cut to fit. */
    record Expected(long oldTotal, long acknowledged, long deadLettered, long truncated) {
    }

    void wholeMigrationBalances() {
        ReconciliationReport report = balancedReport();
        for (ReconciliationReport.KindLine line : report.kinds()) {
            assertThat(line.oldTotal()).as(line.kind() + " has demo rows").isPositive();
            assertThat(line.acknowledged() + line.deadLettered()).as(line.kind()).isEqualTo(line.oldTotal());
        }
    }

    /** The migration balances and every kind shows exactly the expected figures. */
    void wholeMigrationBalances(Map<String, Expected> expected) {
        ReconciliationReport report = balancedReport();
        assertThat(report.kinds()).extracting(ReconciliationReport.KindLine::kind)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (ReconciliationReport.KindLine line : report.kinds()) {
            assertThat(new Expected(line.oldTotal(), line.acknowledged(), line.deadLettered(), line.truncated()))
                    .as(line.kind()).isEqualTo(expected.get(line.kind()));
        }
    }

    private ReconciliationReport balancedReport() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);
        ReconciliationReport report = reconciliation.lastReport();
        assertThat(report.differences()).as("differences").isEmpty();
        assertThat(report.balanced()).isTrue();
        callsWaitedForTheirDependencies();
        return report;
    }

    @Autowired org.imsmooth.pipeline.MigrationProperties plan;
    @Autowired org.springframework.jdbc.core.JdbcTemplate state;

    /**
     * A stage's reader may run ahead of its dependencies (StageGate), its IM calls may not: every record
     * a stage imported was acknowledged after each stage it waits for had finished.
     */
    private void callsWaitedForTheirDependencies() {
        plan.stages().forEach((stage, dependencies) -> {
            java.sql.Timestamp firstImported = state.queryForObject(
                    "SELECT MIN(created_at) FROM id_map WHERE kind = ? AND state = 'done' AND origin = 'old'",
                    java.sql.Timestamp.class, stage);
            for (String dependency : dependencies) {
                java.sql.Timestamp finished = state.queryForObject("SELECT finished_at FROM stage_progress WHERE stage = ?",
                        java.sql.Timestamp.class, dependency);
                assertThat(finished).as(dependency + " finished").isNotNull();
                if (firstImported != null) {
                    assertThat(firstImported).as(stage + "'s first record vs the end of " + dependency).isAfterOrEqualTo(finished);
                }
            }
        });
    }

    /** A PostgreSQL URL whose connections use {@code schema}. */
    static String inPostgresSchema(String schema) {
        return RealServices.POSTGRES_URL + "?currentSchema=" + schema;
    }

    /** Creates the old system's schema (loaded with the sample's scripts) and the state's, on the local PostgreSQL. */
    static void createPostgresSample(String schema, String stateSchema) throws Exception {
        createPostgresSample("samples/postgresql", schema, stateSchema);
    }

    /** The same for the sample in {@code sampleDirectory} (its schema.sql and seed.sql). */
    static void createPostgresSample(String sampleDirectory, String schema, String stateSchema) throws Exception {
        RealServices.requirePostgres();
        try (Connection c = java.sql.DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
            c.createStatement().execute("CREATE SCHEMA " + stateSchema);
        }
        try (Connection c = java.sql.DriverManager.getConnection(inPostgresSchema(schema), "postgres", "")) {
            runScripts(c, sampleDirectory + "/schema.sql", sampleDirectory + "/seed.sql");
        }
    }

    static void dropPostgresSchemas(String... schemas) {
        try (Connection c = java.sql.DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            for (String schema : schemas) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (Exception ignored) {
            // the database was not reachable: the test was skipped
        }
    }

    /** Drops log capture {@code name}'s replication slot (ending the backend still holding it) and publication. */
    static void dropPostgresLogCapture(String name) {
        try (Connection c = java.sql.DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            for (int attempt = 0; attempt < 50; attempt++) {
                c.createStatement().execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'imsmooth_"
                        + name + "' AND active_pid IS NOT NULL");
                try {
                    c.createStatement().execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'imsmooth_"
                            + name + "'");
                    break;
                } catch (Exception stillActive) {
                    Thread.sleep(200);
                }
            }
            c.createStatement().execute("DROP PUBLICATION IF EXISTS imsmooth_" + name);
        } catch (Exception ignored) {
            // the database was not reachable: the test was skipped
        }
    }

    /** The service reads the old system from {@code schema} and keeps its state in {@code stateSchema}. */
    static void usePostgres(org.springframework.test.context.DynamicPropertyRegistry registry, String schema, String stateSchema) {
        registry.add("oldsystem.datasource.url", () -> inPostgresSchema(schema));
        registry.add("oldsystem.datasource.username", () -> "postgres");
        registry.add("oldsystem.datasource.password", () -> "");
        registry.add("spring.datasource.url", () -> inPostgresSchema(stateSchema));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    /** Runs SQL files of this repository (e.g. a sample's schema and seed) as a user would load them. */
    static void runScripts(Connection connection, String... paths) {
        for (String path : paths) {
            ScriptUtils.executeSqlScript(connection, new FileSystemResource(path));
        }
    }
}
