package org.imsmooth.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.support.OperatorApi;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@code /api/migration/status} tells which instance answers and what it does: its id, that it holds
 * the reader lease (and who holds it), its consumers per work queue, the calls per second it lets go
 * to each IM API with the API's pace, and, once the import is done, the verdict and who built it.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "instance.id=instance-alpha",
        "oldsystem.demo.users=20", "oldsystem.demo.messages=400", "oldsystem.demo.groups=2", "oldsystem.demo.group-messages=40",
        "pipeline.c2c-messages.consumers=3",
        "sandbox.faults.latency-ms=10",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "migration.report-file=target/instance-status-report.json"})
class InstanceStatusTest {

    @LocalServerPort int port;

    @Test
    void theStatusReportsTheInstanceItsLeaseConsumersCallsAndTheVerdictsBuilder() throws Exception {
        OperatorApi api = new OperatorApi(port);
        JsonNode before = api.get("/api/migration/status").get("instance");
        assertThat(before.get("id").asText()).isEqualTo("instance-alpha");
        assertThat(before.get("readerLease").asBoolean()).as("nothing started: no lease").isFalse();
        JsonNode c2c = consumersOf(before, "im.import.c2c-messages");
        assertThat(c2c.get("configured").asInt()).isEqualTo(3);
        assertThat(c2c.get("route").asText()).isEqualTo("import-c2c-messages");

        api.post("/api/migration/start", null);
        List<String> apisSeenCalling = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode instance = api.get("/api/migration/status").get("instance");
            instance.get("apis").properties().forEach(e -> {
                if (e.getValue().get("callsPerSecond").asDouble() > 0 && !apisSeenCalling.contains(e.getKey())) {
                    apisSeenCalling.add(e.getKey());
                }
            });
            return instance.get("readerLease").asBoolean() && !apisSeenCalling.isEmpty();
        });
        JsonNode during = api.get("/api/migration/status").get("instance");
        assertThat(during.get("readerLeaseHolder").asText()).as("any instance reads who holds the lease").isEqualTo("instance-alpha");
        assertThat(during.get("apis").get(apisSeenCalling.get(0)).get("paceConfigured").asInt()).isPositive();
        assertThat(during.get("apis").get(apisSeenCalling.get(0)).get("calls").asLong()).isPositive();

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> !api.get("/api/migration/status").get("verdict").isNull());
        JsonNode verdict = api.get("/api/migration/status").get("verdict");
        assertThat(verdict.get("builtBy").asText()).isEqualTo("instance-alpha");
        assertThat(verdict.get("balanced").asBoolean()).isTrue();
    }

    private static JsonNode consumersOf(JsonNode instance, String queue) {
        for (JsonNode line : instance.get("consumers")) {
            if (queue.equals(line.get("queue").asText())) {
                return line;
            }
        }
        throw new AssertionError("no consumers listed for " + queue + ": " + instance.get("consumers"));
    }
}
