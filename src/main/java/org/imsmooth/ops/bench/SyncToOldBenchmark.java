package org.imsmooth.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code java -jar im-migration.jar bench-sync-to-old [--out=bench-results/sync-to-old-benchmark.json]
 * [--rate=200] [--seconds=30] [--xmx=512m] [--routes=DIR] [--keep]}: IM → old system sync under a
 * steady callback load. The service runs as a child JVM (demo old system in H2, embedded broker); this
 * command plays IM over HTTP and reads the service's sync latency timer through /actuator/metrics.
 * Figures: callback acknowledgement p50/p99 (measured here), end-to-end p50/p99 from the event's own
 * time to the old system's commit ({@code imsmooth.sync.latency}, group messages: their EventTime has
 * ms resolution; C2C MsgTime has 1 s resolution and is reported apart), and events/s sustained.
 */
public final class SyncToOldBenchmark {

    private static final String DIRECTION = "im-to-old";

    static final double ACK_P99_GOAL_MS = 20;
    static final double E2E_P99_GOAL_MS = 250;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int USERS = 200;
    private static final int GROUPS = 20;

    private SyncToOldBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench-results/sync-to-old-benchmark.json");
        Path routes = Path.of("routes");
        int rate = 200;
        int seconds = 30;
        String xmx = "512m";
        boolean keep = false;
        for (String arg : args) {
            if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring(6));
            } else if (arg.startsWith("--rate=")) {
                rate = Integer.parseInt(arg.substring(7));
            } else if (arg.startsWith("--seconds=")) {
                seconds = Integer.parseInt(arg.substring(10));
            } else if (arg.startsWith("--xmx=")) {
                xmx = arg.substring(6);
            } else if (arg.startsWith("--routes=")) {
                routes = Path.of(arg.substring(9));
            } else if (arg.equals("--keep")) {
                keep = true;
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'; usage: bench-sync-to-old [--out=FILE.json] "
                        + "[--rate=200] [--seconds=30] [--xmx=512m] [--routes=DIR] [--keep]");
            }
        }
        if (!Files.isRegularFile(routes.resolve("old-system/sync-writes.yml"))) {
            throw new IllegalArgumentException("no routes folder with old-system/sync-writes.yml at " + routes.toAbsolutePath()
                    + ": run from the project folder or pass --routes=DIR");
        }
        Map<String, Object> results = run(routes.toAbsolutePath(), rate, seconds, xmx, keep);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, JSON.writeValueAsString(results));
        Path markdown = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(markdown, markdown(results));
        System.out.println(markdown(results));
        System.out.println("written to " + out.toAbsolutePath() + " and " + markdown.toAbsolutePath());
        @SuppressWarnings("unchecked")
        Map<String, Boolean> goals = (Map<String, Boolean>) results.get("goalsPassed");
        System.exit(goals.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1);
    }

    static Map<String, Object> run(Path routes, int rate, int seconds, String xmx, boolean keep) throws Exception {
        String token = UUID.randomUUID().toString();
        List<String> settings = List.of(
                // the mapping too: this setting replaces the one MigrationServiceProcess gives, and the service
                // refuses to start without the stages' queries
                "--spring.config.import=optional:file:" + routes.resolve("old-system/mapping.yml")
                        + ",optional:file:" + routes.resolve("old-system/sync-writes.yml"),
                "--migration.auto-start=false",
                "--oldsystem.demo.users=" + USERS, "--oldsystem.demo.groups=" + GROUPS,
                "--oldsystem.demo.messages=1000", "--oldsystem.demo.group-messages=500",
                "--im.callback-token=" + token,
                "--management.endpoints.web.exposure.include=health,metrics,prometheus");
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machineBefore", Machine.facts());
        try (MigrationServiceProcess service = MigrationServiceProcess.start("sync-to-old", xmx, routes, settings, keep)) {
            service.awaitUp(Duration.ofMinutes(3));
            int port = service.port();
            // 10 s of warm-up, then the measured run: the first seconds of a fresh JVM (JIT, heap sizing, new
            // journal files) are not the steady state of a service that runs for days
            int warmup = Math.min(4000, rate * 10);
            new CallbackLoad(port, 1400000000L, token, USERS, GROUPS).run("warmup", 1_000_000, warmup, rate);
            if (awaitWritten(service, warmup, Duration.ofMinutes(5)) < 0) {
                throw new IllegalStateException("warm-up: only " + written(service) + " of " + warmup
                        + " events written after 5 min; log tail:\n" + service.logTail());
            }
            double baseline = written(service);
            LatencyQuantiles groupBefore = LatencyQuantiles.scrape(service, DIRECTION, "group-message");
            LatencyQuantiles c2cBefore = LatencyQuantiles.scrape(service, DIRECTION, "c2c-message");

            int count = rate * seconds;
            CallbackLoad load = new CallbackLoad(port, 1400000000L, token, USERS, GROUPS);
            long start = System.nanoTime();
            load.run("bench", 5_000_000, count, rate);
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long drained = awaitWritten(service, (long) baseline + load.acknowledged(), Duration.ofMinutes(5));
            // not all written in time: the figures so far are kept, with how many made it
            double totalSeconds = ((drained < 0 ? System.nanoTime() : drained) - start) / 1e9;
            results.put("writtenOfAcknowledged", (written(service) - baseline) + " of " + load.acknowledged());

            results.put("offeredEventsPerSecond", rate);
            results.put("events", count);
            results.put("acknowledged", load.acknowledged());
            results.put("refusedOrFailed", load.failed());
            results.put("sendSeconds", round(sendSeconds));
            results.put("allWrittenAfterSeconds", round(totalSeconds));
            results.put("sustainedEventsPerSecond", round(load.acknowledged() / totalSeconds));
            results.put("ackP50Ms", round(load.ackMillis(0.50)));
            results.put("ackP99Ms", round(load.ackMillis(0.99)));
            results.put("ackP90Ms", round(load.ackMillis(0.90)));
            results.put("ackP999Ms", round(load.ackMillis(0.999)));
            results.put("ackMaxMs", round(load.ackMillis(1.0)));
            results.put("slowAcknowledgementsSentAtMs", load.slowAcknowledgementsAt());
            LatencyQuantiles group = LatencyQuantiles.scrape(service, DIRECTION, "group-message").since(groupBefore);
            LatencyQuantiles c2c = LatencyQuantiles.scrape(service, DIRECTION, "c2c-message").since(c2cBefore);
            results.put("e2eGroupP50Ms", round(group.millis(0.5)));
            results.put("e2eGroupP99Ms", round(group.millis(0.99)));
            results.put("e2eC2cP50Ms", round(c2c.millis(0.5)));
            results.put("e2eC2cP99Ms", round(c2c.millis(0.99)));
            results.put("machineAfter", Machine.facts());
            Map<String, Boolean> goals = new LinkedHashMap<>();
            goals.put("ack p99 <= 20 ms", load.ackMillis(0.99) <= ACK_P99_GOAL_MS);
            goals.put("end-to-end p99 <= 250 ms", group.millis(0.99) <= E2E_P99_GOAL_MS);
            goals.put("sustains the offered rate", drained > 0 && load.acknowledged() / totalSeconds >= rate * 0.97 && load.failed() == 0);
            results.put("goalsPassed", goals);
        }
        return results;
    }

    /** Events the service committed to the old system so far (count of its im-to-old latency timer). */
    private static double written(MigrationServiceProcess service) {
        JsonNode metric = service.get("/actuator/metrics/imsmooth.sync.latency?tag=direction:im-to-old");
        if (metric == null) {
            return 0;
        }
        for (JsonNode m : metric.path("measurements")) {
            if ("COUNT".equals(m.path("statistic").asText())) {
                return m.path("value").asDouble();
            }
        }
        return 0;
    }

    /** Waits until {@code expected} events are committed; System.nanoTime() of that moment, or -1 after the timeout. */
    private static long awaitWritten(MigrationServiceProcess service, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            service.ensureAlive();
            if (written(service) >= expected) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        return -1;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0; // NaN: the service published no figure
    }

    static String markdown(Map<String, Object> r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> before = (Map<String, Object>) r.get("machineBefore");
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) r.get("machineAfter");
        @SuppressWarnings("unchecked")
        Map<String, Boolean> goals = (Map<String, Boolean>) r.get("goalsPassed");
        return "IM -> old system sync, " + r.get("events") + " callbacks offered at " + r.get("offeredEventsPerSecond")
                + "/s (" + before.get("date") + ", " + before.get("cores") + " cores, load " + before.get("load1m") + " -> "
                + (after == null ? "?" : after.get("load1m")) + ")\n\n"
                + "| Figure | Measured | Goal | Pass |\n|---|---|---|---|\n"
                + "| callback acknowledgement p50 / p99 | " + r.get("ackP50Ms") + " / " + r.get("ackP99Ms") + " ms | p99 <= 20 ms | "
                + yes(goals.get("ack p99 <= 20 ms")) + " |\n"
                + "| end-to-end p50 / p99, group messages (EventTime, ms) | " + r.get("e2eGroupP50Ms") + " / " + r.get("e2eGroupP99Ms")
                + " ms | p99 <= 250 ms | " + yes(goals.get("end-to-end p99 <= 250 ms")) + " |\n"
                + "| end-to-end p50 / p99, C2C (MsgTime, 1 s resolution) | " + r.get("e2eC2cP50Ms") + " / " + r.get("e2eC2cP99Ms")
                + " ms | (not comparable) | |\n"
                + "| events/s sustained (all committed / time) | " + r.get("sustainedEventsPerSecond") + " (" + r.get("acknowledged")
                + " acknowledged, " + r.get("writtenOfAcknowledged") + " written in " + r.get("allWrittenAfterSeconds") + " s, "
                + r.get("refusedOrFailed") + " failed) | >= 97% of offered | "
                + yes(goals.get("sustains the offered rate")) + " |\n";
    }

    private static String yes(Boolean pass) {
        return Boolean.TRUE.equals(pass) ? "yes" : "no";
    }
}
