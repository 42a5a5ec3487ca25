package org.imsmooth.pipeline;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.state.StageProgress;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the stage tests add to {@link PipelineTestSupport}: the sandbox's call counters (over HTTP,
 * as an operator would read them), the durable stage counters, and a "crash before the cursor
 * moved" replay that forces every record through the worker's id-map check again.
 */
public abstract class ImportStageTestSupport extends PipelineTestSupport {

    @LocalServerPort protected int port;
    @Autowired protected StageProgress progress;
    @Autowired protected JdbcTemplate state;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    /** How many calls of this IM command the sandbox has answered so far. */
    /**
     * Calls of this API that IM took in: a call answered "rate limited" (60007, the sandbox counting a
     * sliding second) is retried, and only its retry counts.
     */
    protected long imCalls(String command) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/sandbox/admin/stats")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode stats = json.readTree(response.body());
        return stats.path("calls").path(command).asLong(0) - stats.path("rejectedByQuota").path(command).asLong(0);
    }

    protected StageProgress.Counters counters(String stage) {
        return progress.of(stage).orElseThrow();
    }

    /** Waits until the workers processed {@code expected} records (imported, dead-lettered or skipped). */
    protected void awaitProcessed(String stage, long expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> progress.of(stage)
                .map(c -> c.imported() + c.deadLettered() + c.skipped() >= expected).orElse(false));
    }

    /**
     * Re-runs a stage as after a kill -9 before anything was committed: cursor and processed-batch
     * ids forgotten, so every row is read and delivered again and only the id map stands between
     * the worker and IM. Returns once the workers have skipped {@code alreadyDone} records.
     */
    protected void replayFromScratch(String stage, long alreadyDone) {
        long skippedBefore = counters(stage).skipped();
        state.update("DELETE FROM import_cursor WHERE stage = ?", stage);
        state.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE ?", stage + ":%");
        producer.sendBody("direct:import-" + stage, null);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> counters(stage).skipped() - skippedBefore >= alreadyDone);
    }

    protected static Map<String, String> reasonsBySourceId(java.util.List<org.apache.camel.Exchange> deadLetters) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (var e : deadLetters) {
            out.put(e.getMessage().getHeader(org.imsmooth.pipeline.failure.DeadLetterHeaders.SOURCE_ID, String.class),
                    e.getMessage().getHeader(org.imsmooth.pipeline.failure.DeadLetterHeaders.REASON, String.class));
        }
        return out;
    }
}
