package org.imsmooth.ops.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.pipeline.MigrationProperties;
import org.imsmooth.support.OperatorApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The control API on a whole demo migration: pausing every stage mid-import stops every counter
 * (readers hold, workers are suspended), resuming lets the import finish balanced; the pause is
 * kept in the database, so a service started later (or another instance) keeps the stage paused.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=20", "oldsystem.demo.messages=800", "oldsystem.demo.groups=2", "oldsystem.demo.group-messages=40",
        "oldsystem.page-size=50",
        "pipeline.c2c-messages.batch-size=5",
        // slow enough to be caught mid-import on a fast machine, and workers slower than the reader on a
        // busy one (the pause must find work on the queue: 32 consumers at 10 ms emptied it on a loaded CI)
        "pipeline.c2c-messages.consumers=2",
        "sandbox.faults.latency-ms=20",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "migration.report-file=target/pause-and-resume-report.json"})
class PauseAndResumeTest {

    @LocalServerPort int port;
    @Autowired CamelContext camel;
    @Autowired JdbcTemplate state;
    @Autowired StagePauseStore pauses;
    @Autowired MigrationProperties plan;
    @Autowired QueueDepth queues;

    @Test
    void pauseMidImportStopsCountsResumeFinishesBalanced() throws Exception {
        OperatorApi api = new OperatorApi(port);
        assertThat(api.get("/api/migration/status").get("started").asBoolean()).isFalse();
        api.post("/api/migration/start", null);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> stage(api.get("/api/migration/status"), "c2c-messages").get("imported").asLong() >= 100
                        && queues.of("im.import.c2c-messages") >= 10);

        try {
            pauseAndResume(api);
        } finally {
            // a failed assertion must not leave the other test's stages paused in the shared context
            plan.stages().keySet().forEach(stage -> pauses.set(stage, false, "test"));
        }
    }

    private void pauseAndResume(OperatorApi api) throws Exception {
        JsonNode paused = api.post("/api/migration/pause", null);
        assertThat(paused.get("paused")).hasSize(plan.stages().size());
        for (String stage : plan.stages().keySet()) {
            assertThat(camel.getRouteController().getRouteStatus("import-" + stage)).as(stage).isEqualTo(ServiceStatus.Suspended);
        }
        // batches already in a worker's hands finish (the marker: no exchange left in any worker route);
        // then nothing can move: every worker route is suspended and work is left on the queue
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> plan.stages().keySet().stream().allMatch(s -> camel.getInflightRepository().size("import-" + s) == 0));
        long before = processed(api.get("/api/migration/status"));
        assertThat(queues.of("im.import.c2c-messages")).as("work left on the paused stage's queue").isPositive();
        JsonNode during = api.get("/api/migration/status");
        assertThat(processed(during)).as("counters while paused").isEqualTo(before);
        assertThat(plan.stages().keySet()).as("no worker picked anything up meanwhile")
                .allMatch(s -> camel.getInflightRepository().size("import-" + s) == 0);
        assertThat(stage(during, "c2c-messages").get("paused").asBoolean()).isTrue();
        assertThat(stage(during, "c2c-messages").get("imported").asLong()).as("paused mid-import")
                .isLessThan(stage(during, "c2c-messages").get("total").asLong());
        assertThat(state.queryForObject("SELECT COUNT(*) FROM stage_control WHERE paused = TRUE AND changed_by = 'operator'",
                Integer.class)).as("pause kept in the database").isEqualTo(plan.stages().size());

        api.post("/api/migration/resume", null);
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/api/migration/status").get("finished").asBoolean());
        JsonNode done = api.get("/api/migration/status");
        for (JsonNode s : done.get("stages")) {
            assertThat(s.get("state").asText()).as(s.get("stage").asText()).isEqualTo("done");
            assertThat(s.get("paused").asBoolean()).isFalse();
            assertThat(s.get("imported").asLong() + s.get("deadLettered").asLong()).as(s.get("stage") + " balanced")
                    .isEqualTo(s.get("total").asLong());
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> api.get("/api/migration/report").get("balanced").asBoolean());
    }

    @Test
    void aPausedStageStaysPausedWhenAServiceStarts() throws Exception {
        pauses.set("groups", false, "test");
        pauses.set("friends", true, "test");
        try (CamelContext another = new DefaultCamelContext()) {
            another.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:friends-worker?period=1000").routeId("import-friends").log("working");
                    from("timer:groups-worker?period=1000").routeId("import-groups").log("working");
                }
            });
            WorkerRouteSuspension startingInstance = new WorkerRouteSuspension(pauses, plan);
            startingInstance.beforeApplicationStart(another);
            another.start();
            assertThat(another.getRouteController().getRouteStatus("import-friends")).isEqualTo(ServiceStatus.Stopped);
            assertThat(another.getRouteController().getRouteStatus("import-groups")).isEqualTo(ServiceStatus.Started);

            // resumed through another instance: this one follows the database
            pauses.set("friends", false, "test");
            startingInstance.apply();
            assertThat(another.getRouteController().getRouteStatus("import-friends")).isEqualTo(ServiceStatus.Started);
            pauses.set("groups", true, "test");
            startingInstance.apply();
            assertThat(another.getRouteController().getRouteStatus("import-groups")).isEqualTo(ServiceStatus.Suspended);
        } finally {
            pauses.set("friends", false, "test");
            pauses.set("groups", false, "test");
        }
    }

    private static JsonNode stage(JsonNode status, String name) {
        for (JsonNode s : status.get("stages")) {
            if (s.get("stage").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stage " + name + " in " + status);
    }

    private static long processed(JsonNode status) {
        long n = 0;
        for (JsonNode s : status.get("stages")) {
            n += s.get("imported").asLong() + s.get("deadLettered").asLong() + s.get("skipped").asLong();
        }
        return n;
    }
}
