package org.imsmooth.ops.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code im-migration.jar bench-sync-to-im}: old system -> IM sync latency and throughput against the
 * sandbox. It starts the service as a child JVM (demo old system, imported first), then posts
 * routing callbacks to {@code /intake/old-system/{kind}} (half 1:1, half group messages), each
 * stamped with its send time, and reads the service's timer {@code imsmooth.sync.latency}
 * (old-to-im: change time -> IM's ack) over the actuator. Phase 1: a steady rate (default 200
 * events/s) for a fixed time, p50/p99 and the rate achieved; phase 2: a burst as fast as the service
 * takes it, events/s sustained until every event was acknowledged by IM. Results: JSON + Markdown.
 */
public final class SyncToImBenchmark {

    static final String METRIC = "imsmooth.sync.latency";
    private static final String DIRECTION = "old-to-im";
    /** The kinds of change this benchmark sends (tag {@code kind} of the timer). */
    static final List<String> KINDS = List.of("c2c-message", "group-message");
    /** A capture run of log capture as it was before group commit (for side-by-side figures). */
    static final String LOG_PER_CHANGE = "log-per-change";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int USERS = 200;
    private static final int GROUPS = 10;
    /** The stages of imsmooth.sync.stage, in the order a change passes them. */
    private static final List<String> STAGES = List.of("committed", "received", "mapped", "queued", "picked-up", "im-ack");

    private SyncToImBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench-results/sync-to-im-benchmark.json");
        Path routes = Path.of("routes");
        String xmx = "512m";
        int rate = 200;
        int seconds = 60;
        int burst = 4000;
        boolean keep = false;
        int conversationBurst = 0;
        List<Integer> conversationCounts = List.of(1, 20);
        List<String> extra = new ArrayList<>();
        List<String> captures = List.of();
        String postgres = "jdbc:postgresql://127.0.0.1:5432/test";
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (arg.startsWith("--out=")) {
                out = Path.of(value);
            } else if (arg.startsWith("--routes=")) {
                routes = Path.of(value);
            } else if (arg.startsWith("--xmx=")) {
                xmx = value;
            } else if (arg.startsWith("--rate=")) {
                rate = Integer.parseInt(value);
            } else if (arg.startsWith("--seconds=")) {
                seconds = Integer.parseInt(value);
            } else if (arg.startsWith("--burst=")) {
                burst = Integer.parseInt(value);
            } else if (arg.startsWith("--conversation-burst=")) {
                conversationBurst = Integer.parseInt(value);
            } else if (arg.startsWith("--conversations=")) {
                conversationCounts = java.util.Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
            } else if (arg.startsWith("--set=")) {
                extra.add("--" + value);
            } else if (arg.startsWith("--capture=")) {
                captures = List.of(value.split(","));
            } else if (arg.startsWith("--postgres=")) {
                postgres = value;
            } else if (arg.equals("--keep")) {
                keep = true;
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'; usage: bench-sync-to-im [--out=FILE.json] "
                        + "[--rate=200] [--seconds=60] [--burst=4000] [--conversation-burst=200 [--conversations=1,20]] [--set=key=value] "
                        + "[--capture=log,poll] [--postgres=JDBC_URL] "
                        + "[--routes=DIR] [--xmx=512m] [--keep]");
            }
        }
        if (!Files.isRegularFile(routes.resolve("old-system/mapping.yml"))) {
            throw new IllegalArgumentException("no routes folder at " + routes.toAbsolutePath() + ": run from the project folder or pass --routes=DIR");
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", Machine.facts());
        if (!captures.isEmpty()) {
            captureRuns(results, captures, postgres, routes, xmx, rate, seconds, keep, out, conversationBurst, conversationCounts, extra);
            return;
        }
        String secret = UUID.randomUUID().toString();
        List<String> settings = List.of("--oldsystem.demo.users=" + USERS, "--oldsystem.demo.friends-per-user=1",
                "--oldsystem.demo.messages=200", "--oldsystem.demo.groups=" + GROUPS, "--oldsystem.demo.members-per-group=5",
                "--oldsystem.demo.group-messages=100", "--old-system-intake.secret=" + secret,
                "--management.endpoints.web.exposure.include=health,metrics,prometheus");
        if (conversationBurst > 0) {
            // ordered bursts measure the sender, not IM's quota: sendmsg's 200/s would cap 20 conversations
            settings = new ArrayList<>(settings);
            settings.add("--pipeline.quota.sendmsg=100000");
            settings.add("--sandbox.quota.calls-per-second.sendmsg=100000");
            // the sender route is suspended while a burst is queued, then resumed (Jolokia, route operations)
            settings.add("--management.endpoints.web.exposure.include=health,metrics,prometheus,jolokia");
        }
        if (!extra.isEmpty()) {
            settings = new ArrayList<>(settings);
            settings.addAll(extra);
        }
        try (MigrationServiceProcess service = MigrationServiceProcess.start("sync-to-im", xmx, routes.toAbsolutePath(), settings, keep)) {
            service.awaitUp(Duration.ofMinutes(3));
            awaitImport(service);
            if (conversationBurst > 0) {
                Load load = new Load(service.port(), secret);
                List<Map<String, Object>> bursts = new ArrayList<>();
                for (int conversations : conversationCounts) {
                    System.out.printf("[bench] ordered bursts: %d conversation(s) x %d messages%n", conversations, conversationBurst);
                    bursts.add(conversationBursts(service, load, conversations, conversationBurst, bursts.size()));
                }
                results.put("conversationBursts", bursts);
                results.put("load1mAtEnd", Machine.load1m());
                Files.createDirectories(out.toAbsolutePath().getParent());
                JSON.writeValue(out.toFile(), results);
                System.out.println(JSON.writeValueAsString(results.get("conversationBursts")));
                service.close();
                System.exit(0);
            }
            System.out.printf("[bench] import done; phase 1: %d events/s for %d s%n", rate, seconds);
            Load load = new Load(service.port(), secret);
            results.put("steady", steady(service, load, rate, seconds));
            System.out.printf("[bench] phase 2: burst of %d events%n", burst);
            results.put("burst", burst(service, load, burst));
            results.put("load1mAtEnd", Machine.load1m());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> steady = (Map<String, Object>) results.get("steady");
        Map<String, Boolean> goals = new LinkedHashMap<>();
        goals.put("p99 latency <= 250 ms at " + rate + " events/s", ((Number) steady.get("p99Ms")).doubleValue() <= 250);
        goals.put("every event acknowledged by IM", Boolean.TRUE.equals(steady.get("allAcknowledged")));
        results.put("goals", goals);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        JSON.writeValue(out.toFile(), results);
        Path md = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(md, markdown(results, goals));
        System.out.println(Files.readString(md));
        System.exit(goals.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1);
    }

    private static void awaitImport(MigrationServiceProcess service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            service.ensureAlive();
            JsonNode status = service.get("/api/migration/status");
            // the reconciliation reads IM back after the import: the measured phase starts once it is written
            if (status != null && status.path("finished").asBoolean() && service.get("/api/migration/report") != null) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("demo import not finished; log tail:\n" + service.logTail());
    }

    /** Open loop: events go out on schedule whatever the answers, so a slow service shows up as latency. */
    private static Map<String, Object> steady(MigrationServiceProcess service, Source load, int rate, int seconds) throws Exception {
        return steady(service, load, rate, seconds, List.of());
    }

    /** As above; {@code eventKinds}: group event kinds in the load, whose p99 is reported beside the messages'. */
    private static Map<String, Object> steady(MigrationServiceProcess service, Source load, int rate, int seconds,
                                              List<String> eventKinds) throws Exception {
        long before = acknowledged(service);
        Map<String, LatencyQuantiles> histogramsBefore = new LinkedHashMap<>();
        KINDS.forEach(kind -> histogramsBefore.put(kind, LatencyQuantiles.scrape(service, DIRECTION, kind)));
        LatencyQuantiles eventsBefore = eventKinds.isEmpty() ? null
                : LatencyQuantiles.scrape(service, DIRECTION, eventKinds.toArray(String[]::new));
        String stagesBefore = service.getText("/actuator/prometheus");
        int total = rate * seconds;
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        List<CompletableFuture<Integer>> answers = java.util.Collections.synchronizedList(new ArrayList<>(total));
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        double loadBefore = Machine.load1m();
        clock.scheduleAtFixedRate(() -> {
            if (sent.get() < total) {
                answers.add(load.post(sent.getAndIncrement()));
            }
        }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
        while (sent.get() < total) {
            Thread.sleep(50);
        }
        clock.shutdown();
        clock.awaitTermination(10, TimeUnit.SECONDS);
        long sendSeconds = System.nanoTime() - start;
        int accepted;
        synchronized (answers) {
            accepted = (int) answers.stream().map(CompletableFuture::join).filter(code -> code == 202).count();
        }
        Acknowledged acked = awaitAcknowledgedSince(service, before, accepted);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("targetEventsPerSecond", rate);
        r.put("events", total);
        r.put("accepted", accepted);
        r.put("acknowledgedByIm", acked.count());
        r.put("allAcknowledged", acked.count() == total);
        r.put("sendRatePerSecond", round(total / (sendSeconds / 1e9)));
        r.put("achievedEventsPerSecond", round(acked.perSecondSince(start)));
        // the timer is kept per kind (1:1 and group messages here): the worst kind is the headline figure
        Map<String, Object> perKind = new LinkedHashMap<>();
        double p50 = 0;
        double p99 = 0;
        for (String kind : KINDS) {
            LatencyQuantiles phase = LatencyQuantiles.scrape(service, DIRECTION, kind).since(histogramsBefore.get(kind));
            perKind.put(kind, Map.of("p50Ms", round(phase.millis(0.5)), "p99Ms", round(phase.millis(0.99))));
            p50 = Math.max(p50, phase.millis(0.5));
            p99 = Math.max(p99, phase.millis(0.99));
        }
        r.put("p50Ms", round(p50));
        r.put("p99Ms", round(p99));
        r.put("byKind", perKind);
        if (eventsBefore != null) {
            // membership and group-profile changes: few per run, so their p99 is close to their maximum
            LatencyQuantiles events = LatencyQuantiles.scrape(service, DIRECTION, eventKinds.toArray(String[]::new)).since(eventsBefore);
            r.put("groupEvents", Map.of("count", events.count(), "p50Ms", round(events.millis(0.5)), "p99Ms", round(events.millis(0.99))));
        }
        r.put("maxMs", round(measurement(service, "/actuator/metrics/" + METRIC + "?tag=direction:old-to-im", "MAX") * 1000));
        r.put("stages", stages(stagesBefore, service.getText("/actuator/prometheus")));
        r.put("loadBefore", loadBefore);
        r.put("loadAfter", Machine.load1m());
        return r;
    }

    /** Stages of one change (imsmooth.sync.stage): p50/p99 from the change's time to each stage, by kind and overall. */
    private static Map<String, Object> stages(String before, String after) {
        Map<String, Object> stages = new LinkedHashMap<>();
        for (String stage : STAGES) {
            Map<String, Object> byKind = new LinkedHashMap<>();
            for (String kind : List.of("", "c2c", "group", "event")) {
                String[] kinds = kind.isEmpty() ? new String[0] : new String[] {kind};
                LatencyQuantiles q = LatencyQuantiles.stage(after, stage, kinds).since(LatencyQuantiles.stage(before, stage, kinds));
                if (q.count() > 0) {
                    byKind.put(kind.isEmpty() ? "all" : kind, "p50 " + round(q.millis(0.5)) + " / p99 " + round(q.millis(0.99)) + " ms");
                }
            }
            if (!byKind.isEmpty()) {
                stages.put(stage, byKind);
            }
        }
        return stages;
    }

    /** Closed loop with a bounded number of requests in flight: how many events/s the service sustains. */
    private static Map<String, Object> burst(MigrationServiceProcess service, Load load, int events) throws Exception {
        long before = acknowledged(service);
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<Integer>> answers = new ArrayList<>(events);
        long start = System.nanoTime();
        for (long i = 0; i < events; i++) {
            inFlight.acquire();
            answers.add(load.post(1_000_000 + i).whenComplete((code, error) -> inFlight.release()));
        }
        long intakeDone = System.nanoTime();
        int accepted = (int) answers.stream().map(CompletableFuture::join).filter(code -> code == 202).count();
        Acknowledged acked = awaitAcknowledgedSince(service, before, accepted);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", events);
        r.put("accepted", accepted);
        r.put("acknowledgedByIm", acked.count());
        r.put("intakeEventsPerSecond", round(events / ((intakeDone - start) / 1e9)));
        r.put("sustainedEventsPerSecond", round(acked.perSecondSince(start)));
        return r;
    }

    /**
     * Ordered bursts: {@code conversations} 1:1 conversations (distinct user pairs) of {@code messages}
     * routing callbacks each, queued in order (one after the other per conversation) while the sender
     * route is suspended, so the figure is the sender's and not the intake's. Then the route resumes:
     * messages/s = every message / (resume -> IM's last ack). Per conversation the queue keeps the order
     * (JMSXGroupID) and the sender takes one change at a time.
     */
    private static Map<String, Object> conversationBursts(MigrationServiceProcess service, Load load, int conversations, int messages,
                                                          int round) throws Exception {
        long before = acknowledged(service);
        senderRoute(service, "suspend()");
        var pool = Executors.newFixedThreadPool(conversations);
        List<CompletableFuture<Integer>> accepted = new ArrayList<>();
        long intakeStart = System.nanoTime();
        for (int c = 0; c < conversations; c++) {
            int conversation = c;
            accepted.add(CompletableFuture.supplyAsync(() -> {
                int ok = 0;
                for (int m = 0; m < messages; m++) {
                    long from = 1 + 2L * conversation;
                    String id = "burst-" + round + "-" + conversation + "-" + m;
                    if (load.postC2c(id, from, from + 1, "burst " + m).join() == 202) {
                        ok++;
                    }
                }
                return ok;
            }, pool));
        }
        int ok = accepted.stream().mapToInt(CompletableFuture::join).sum();
        long intakeDone = System.nanoTime();
        pool.shutdown();
        long queued = acknowledged(service) - before;
        String sendmsgCalls = "/actuator/metrics/imsmooth.im.calls?tag=api:sendmsg";
        double imCallsBefore = measurement(service, sendmsgCalls, "COUNT");
        double imSecondsBefore = measurement(service, sendmsgCalls, "TOTAL_TIME");
        long start = System.nanoTime();
        senderRoute(service, "resume()");
        Acknowledged acked = awaitAcknowledgedSince(service, before, ok);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("conversations", conversations);
        r.put("messagesPerConversation", messages);
        r.put("accepted", ok);
        r.put("acknowledgedWhileSuspended", queued);
        r.put("acknowledgedByIm", acked.count());
        r.put("intakeSeconds", round((intakeDone - intakeStart) / 1e9));
        r.put("drainSeconds", round((acked.lastAt() - start) / 1e9));
        r.put("messagesPerSecond", round((acked.count() - queued) / ((acked.lastAt() - start) / 1e9)));
        r.put("perConversationMessagesPerSecond", round((acked.count() - queued) / (double) conversations / ((acked.lastAt() - start) / 1e9)));
        // IM's own round trip (the client's sendmsg timer) against what one change cost its conversation
        double imCalls = measurement(service, sendmsgCalls, "COUNT") - imCallsBefore;
        double imMeanMs = imCalls <= 0 ? Double.NaN : (measurement(service, sendmsgCalls, "TOTAL_TIME") - imSecondsBefore) * 1000 / imCalls;
        r.put("imSendmsgMeanMs", round(imMeanMs));
        r.put("perChangeInConversationMs", round((acked.lastAt() - start) / 1e6 / messages));
        r.put("load1m", Machine.load1m());
        return r;
    }

    /**
     * Ordered bursts through log capture, end to end: {@code conversations} writers insert {@code messages}
     * rows each into one 1:1 conversation apiece (one commit per row, as fast as the database takes
     * them); messages/s = every row / (first insert -> IM's last ack). Each conversation's rows reach IM
     * in insert order (one queue writer in log order, JMSXGroupID per conversation, one send at a time).
     */
    private static Map<String, Object> tableBursts(MigrationServiceProcess service, String url, int conversations, int messages,
                                                   int round) throws Exception {
        long before = acknowledged(service);
        var pool = Executors.newFixedThreadPool(conversations);
        List<CompletableFuture<Integer>> inserted = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < conversations; c++) {
            int conversation = c;
            inserted.add(CompletableFuture.supplyAsync(() -> {
                try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, "postgres", "");
                     java.sql.PreparedStatement insert = connection.prepareStatement(
                             "INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?, ?, ?, 'text', ?, ?)")) {
                    long from = 1 + 2L * conversation;
                    for (int m = 0; m < messages; m++) {
                        insert.setLong(1, 70_000_000L + round * 1_000_000L + conversation * 10_000L + m);
                        insert.setLong(2, from);
                        insert.setLong(3, from + 1);
                        insert.setString(4, "burst " + m);
                        insert.setTimestamp(5, new java.sql.Timestamp(System.currentTimeMillis()));
                        insert.executeUpdate();
                    }
                    return messages;
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        int rows = inserted.stream().mapToInt(CompletableFuture::join).sum();
        long insertDone = System.nanoTime();
        pool.shutdown();
        Acknowledged acked = awaitAcknowledgedSince(service, before, rows);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("conversations", conversations);
        r.put("messagesPerConversation", messages);
        r.put("inserted", rows);
        r.put("acknowledgedByIm", acked.count());
        r.put("allAcknowledged", acked.count() == rows);
        r.put("insertSeconds", round((insertDone - start) / 1e9));
        r.put("seconds", round((acked.lastAt() - start) / 1e9));
        r.put("messagesPerSecond", round(acked.perSecondSince(start)));
        r.put("load1m", Machine.load1m());
        return r;
    }

    /** Suspends or resumes the sender route over Jolokia (the one route operation the bench needs). */
    private static void senderRoute(MigrationServiceProcess service, String operation) {
        JsonNode found = service.post("/actuator/jolokia", "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,name=\\\"sync-old-to-im-send\\\",*\"}");
        if (found == null || !found.path("value").isArray() || found.path("value").isEmpty()) {
            throw new IllegalStateException("route sync-old-to-im-send not found over Jolokia: " + found);
        }
        String mbean = found.path("value").get(0).asText();
        JsonNode done = service.post("/actuator/jolokia", "{\"type\":\"exec\",\"mbean\":" + quote(mbean) + ",\"operation\":\"" + operation + "\"}");
        if (done == null || done.path("status").asInt() != 200) {
            throw new IllegalStateException(operation + " of sync-old-to-im-send refused: " + done);
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes IM acknowledged in a phase: how many, and when it acknowledged the last of them (nanoTime). */
    private record Acknowledged(long count, long lastAt) {
        double perSecondSince(long start) {
            return count / ((lastAt - start) / 1e9);
        }
    }

    /** Waits until IM has acknowledged {@code expected} more changes than {@code before}; what it acknowledged by then. */
    private static Acknowledged awaitAcknowledgedSince(MigrationServiceProcess service, long before, long expected) throws InterruptedException {
        long lastAt = awaitAcknowledged(service, before + expected);
        return new Acknowledged(acknowledged(service) - before, lastAt);
    }

    private static long awaitAcknowledged(MigrationServiceProcess service, long target) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && acknowledged(service) < target) {
            service.ensureAlive();
            Thread.sleep(20); // the ordered bursts last about a second: a coarse poll would be a tenth of it
        }
        return System.nanoTime();
    }

    private static long acknowledged(MigrationServiceProcess service) {
        return (long) measurement(service, "/actuator/metrics/" + METRIC + "?tag=direction:old-to-im", "COUNT");
    }

    private static double measurement(MigrationServiceProcess service, String path, String statistic) {
        JsonNode metric = service.get(path);
        if (metric == null) {
            return 0;
        }
        for (JsonNode m : metric.path("measurements")) {
            if (statistic.equals(m.path("statistic").asText())) {
                return m.path("value").asDouble();
            }
        }
        return 0;
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 10) / 10.0; // NaN: the service published no figure
    }

    private static String markdown(Map<String, Object> results, Map<String, Boolean> goals) {
        StringBuilder md = new StringBuilder("# Sync old system -> IM benchmark\n\n");
        md.append("Machine: ").append(results.get("machine")).append("; load (1 min) at end ").append(results.get("load1mAtEnd"))
                .append("\n\n| Goal | Pass |\n|---|---|\n");
        goals.forEach((goal, pass) -> md.append("| ").append(goal).append(" | ").append(pass ? "pass" : "**FAIL**").append(" |\n"));
        md.append("\n| Phase | Figures |\n|---|---|\n");
        md.append("| steady | ").append(results.get("steady")).append(" |\n");
        md.append("| burst | ").append(results.get("burst")).append(" |\n");
        return md.toString();
    }

    /** Where the benchmark's changes come from; an answer of 202 means the change was taken in. */
    private interface Source {
        CompletableFuture<Integer> post(long n);
    }

    /**
     * Log capture and polling capture side by side in one run, each on a fresh PostgreSQL schema with the
     * demo old system (reference schema): the load is rows inserted into messages and group_messages
     * (half each, one commit per row, sent_at = now), and the latency is the service's timer from the
     * row's time to IM's ack. PostgreSQL must run with wal_level = logical (.ci/run sets it).
     */
    private static void captureRuns(Map<String, Object> results, List<String> captures, String postgres, Path routes, String xmx,
                                    int rate, int seconds, boolean keep, Path out, int conversationBurst,
                                    List<Integer> conversationCounts, List<String> extra) throws Exception {
        Map<String, Boolean> goals = new LinkedHashMap<>();
        for (String capture : captures) {
            if (!List.of("log", "poll", LOG_PER_CHANGE).contains(capture)) {
                throw new IllegalArgumentException("--capture takes log, poll and/or " + LOG_PER_CHANGE + ", not '" + capture + "'");
            }
            String schema = "bench_capture_" + capture.replace('-', '_') + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            String url = postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            try (java.sql.Connection admin = java.sql.DriverManager.getConnection(postgres, "postgres", "")) {
                admin.createStatement().execute("CREATE SCHEMA " + schema);
            }
            List<String> settings = new ArrayList<>(List.of("--oldsystem.demo.users=" + USERS, "--oldsystem.demo.friends-per-user=1",
                    "--oldsystem.demo.messages=200", "--oldsystem.demo.groups=" + GROUPS, "--oldsystem.demo.members-per-group=5",
                    "--oldsystem.demo.group-messages=100", "--oldsystem.datasource.url=" + url,
                    "--oldsystem.datasource.username=postgres", "--oldsystem.datasource.password=",
                    "--management.endpoints.web.exposure.include=health,metrics,prometheus",
                    // the ordered bursts measure capture and sender, not IM's quota: sendmsg's 200/s would cap 20 conversations
                    "--pipeline.quota.sendmsg=100000", "--sandbox.quota.calls-per-second.sendmsg=100000"));
            if (capture.startsWith("log")) {
                settings.addAll(List.of("--log-capture.enabled=true", "--log-capture.name=" + schema));
            }
            if (capture.equals(LOG_PER_CHANGE)) {
                // log capture as it was: one broker transaction per change, Debezium's own 500 ms idle poll
                settings.addAll(List.of("--log-capture.queue-batch-max=1", "--log-capture.poll-interval-ms=500"));
            }
            settings.addAll(extra); // --set=key=value: last, so it overrides the run's own settings
            try (MigrationServiceProcess service = MigrationServiceProcess.start("sync-to-im-" + capture, xmx, routes.toAbsolutePath(), settings, keep);
                 TableLoad load = new TableLoad(url)) {
                service.awaitUp(Duration.ofMinutes(10)); // a shared, loaded machine took over 3 minutes
                awaitImport(service);
                // the first insert after the import shows the capture is live (log capture: its slot streams)
                load.warmUp(service);
                System.out.printf("[bench] %s capture: %d rows/s for %d s%n", capture, rate, seconds);
                Map<String, Object> run = steady(service, load, rate, seconds, TableLoad.EVENT_KINDS);
                if (capture.startsWith("log") && conversationBurst > 0) {
                    List<Map<String, Object>> bursts = new ArrayList<>();
                    for (int conversations : conversationCounts) {
                        System.out.printf("[bench] %s capture: ordered bursts, %d conversation(s) x %d rows%n", capture, conversations,
                                conversationBurst);
                        bursts.add(tableBursts(service, url, conversations, conversationBurst, bursts.size()));
                    }
                    run.put("conversationBursts", bursts);
                }
                results.put("capture-" + capture, run);
            } finally {
                try (java.sql.Connection admin = java.sql.DriverManager.getConnection(postgres, "postgres", "")) {
                    admin.createStatement().execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                            + " WHERE slot_name = 'imsmooth_" + schema + "' AND NOT active");
                    admin.createStatement().execute("DROP PUBLICATION IF EXISTS imsmooth_" + schema);
                    admin.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
        results.put("load1mAtEnd", Machine.load1m());
        @SuppressWarnings("unchecked")
        Map<String, Object> log = (Map<String, Object>) results.get("capture-log");
        @SuppressWarnings("unchecked")
        Map<String, Object> poll = (Map<String, Object>) results.get("capture-poll");
        if (log != null) {
            goals.put("log capture: p99 <= 150 ms at " + rate + " changes/s", ((Number) log.get("p99Ms")).doubleValue() <= 150);
            goals.put("log capture: every change acknowledged by IM", Boolean.TRUE.equals(log.get("allAcknowledged")));
            @SuppressWarnings("unchecked")
            Map<String, Object> events = (Map<String, Object>) log.get("groupEvents");
            goals.put("log capture: membership/profile changes p99 <= 150 ms", ((Number) events.get("p99Ms")).doubleValue() <= 150);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> bursts = (List<Map<String, Object>>) log.getOrDefault("conversationBursts", List.of());
            for (Map<String, Object> b : bursts) {
                int n = (int) b.get("conversations");
                double goal = n == 1 ? 150 : 1000;
                goals.put("log capture: " + n + " conversation(s) x " + b.get("messagesPerConversation") + " rows at >= " + (int) goal
                        + " msg/s", Boolean.TRUE.equals(b.get("allAcknowledged")) && ((Number) b.get("messagesPerSecond")).doubleValue() >= goal);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> perChange = (Map<String, Object>) results.get("capture-" + LOG_PER_CHANGE);
        if (log != null && perChange != null) {
            results.put("perChangeP99OverLogP99", round(((Number) perChange.get("p99Ms")).doubleValue() / ((Number) log.get("p99Ms")).doubleValue()));
        }
        if (log != null && poll != null) {
            double ratio = ((Number) poll.get("p99Ms")).doubleValue() / ((Number) log.get("p99Ms")).doubleValue();
            results.put("pollP99OverLogP99", round(ratio));
            goals.put("log capture p99 >= 10x lower than polling's", ratio >= 10);
        }
        results.put("goals", goals);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        JSON.writeValue(out.toFile(), results);
        StringBuilder md = new StringBuilder("# Sync old system -> IM benchmark: log capture vs polling\n\n");
        md.append("Machine: ").append(results.get("machine")).append("; load (1 min) at end ").append(results.get("load1mAtEnd"))
                .append("\n\n| Goal | Pass |\n|---|---|\n");
        goals.forEach((goal, pass) -> md.append("| ").append(goal).append(" | ").append(pass ? "pass" : "**FAIL**").append(" |\n"));
        md.append("\n| Capture | Figures |\n|---|---|\n");
        for (String capture : captures) {
            md.append("| ").append(capture).append(" | ").append(results.get("capture-" + capture)).append(" |\n");
        }
        Path mdFile = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(mdFile, md.toString());
        System.out.println(md);
        System.exit(goals.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1);
    }

    /**
     * Rows the old app inserts, one commit each: even numbers into messages (1:1), odd into group_messages,
     * and one in 20 into group_events instead (a member joins, the group is renamed, the member leaves).
     */
    private static final class TableLoad implements Source, AutoCloseable {
        private final java.sql.Connection connection;
        private final java.util.concurrent.ExecutorService writer = Executors.newSingleThreadExecutor();
        private final java.sql.PreparedStatement c2c;
        private final java.sql.PreparedStatement group;
        private final java.sql.PreparedStatement event;
        private final Map<Long, List<Long>> outsiders = new java.util.HashMap<>();
        /** The latency timer's kinds of the group events the load writes (one row in 20). */
        static final List<String> EVENT_KINDS = List.of("members-joined", "group-changed", "members-left");

        TableLoad(String url) throws java.sql.SQLException {
            connection = java.sql.DriverManager.getConnection(url, "postgres", "");
            c2c = connection.prepareStatement("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?, ?, ?, 'text', ?, ?)");
            group = connection.prepareStatement("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?, ?, ?, 'text', ?, ?)");
            event = connection.prepareStatement("INSERT INTO group_events (id, group_id, kind, user_id, name, happened_at) VALUES (?, ?, ?, ?, ?, ?)");
        }

        @Override
        public CompletableFuture<Integer> post(long n) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    insert(n);
                    return 202;
                } catch (java.sql.SQLException e) {
                    return -1;
                }
            }, writer);
        }

        private void insert(long n) throws java.sql.SQLException {
            if (n % 20 == 19 && n < 40_000_000L) {
                groupEvent(n / 20);
                return;
            }
            long from = 1 + n % USERS;
            long to = 1 + (n * 7 + 3) % USERS;
            if (to == from) {
                to = 1 + from % USERS;
            }
            java.sql.Timestamp now = new java.sql.Timestamp(System.currentTimeMillis());
            java.sql.PreparedStatement insert = n % 2 == 1 ? group : c2c;
            insert.setLong(1, 50_000_000L + n);
            insert.setLong(2, n % 2 == 1 ? 1 + n % GROUPS : from);
            insert.setLong(3, n % 2 == 1 ? from : to);
            insert.setString(4, "bench " + n);
            insert.setTimestamp(5, now);
            insert.executeUpdate();
        }

        /**
         * A membership or group-profile change as the reference schema logs it (group_events): per group,
         * in turn, a user joins, the group is renamed, the user leaves; the users are ones the demo did not
         * make members of the group.
         */
        private List<Long> outsiders(long groupId) {
            try (java.sql.PreparedStatement members = connection.prepareStatement("SELECT user_id FROM group_members WHERE group_id = ?")) {
                members.setLong(1, groupId);
                java.util.Set<Long> in = new java.util.HashSet<>();
                try (java.sql.ResultSet rs = members.executeQuery()) {
                    while (rs.next()) {
                        in.add(rs.getLong(1));
                    }
                }
                List<Long> out = new ArrayList<>();
                for (long user = USERS; user >= 1 && out.size() < 40; user--) {
                    if (!in.contains(user)) {
                        out.add(user);
                    }
                }
                return out;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void groupEvent(long e) throws java.sql.SQLException {
            long groupId = 1 + e % GROUPS;
            long round = e / GROUPS;
            List<Long> outside = outsiders.computeIfAbsent(groupId, this::outsiders);
            long user = outside.get((int) ((round / 3) % outside.size()));
            String kind = switch ((int) (round % 3)) {
                case 0 -> "joined";
                case 1 -> "changed";
                default -> "left";
            };
            event.setLong(1, 60_000_000L + e);
            event.setLong(2, groupId);
            event.setString(3, kind);
            if (kind.equals("changed")) {
                event.setNull(4, java.sql.Types.BIGINT);
                event.setString(5, "bench group " + groupId + " #" + e);
            } else {
                event.setLong(4, user);
                event.setNull(5, java.sql.Types.VARCHAR);
            }
            event.setTimestamp(6, new java.sql.Timestamp(System.currentTimeMillis()));
            event.executeUpdate();
        }

        /** Inserts rows until one is acknowledged by IM, so the measured phase starts with capture live. */
        void warmUp(MigrationServiceProcess service) throws Exception {
            long before = acknowledged(service);
            for (long n = 0; n < 600 && acknowledged(service) <= before; n++) {
                post(40_000_000L + n * 2).join();
                Thread.sleep(500);
            }
            awaitAcknowledged(service, before + 1);
        }

        @Override
        public void close() throws java.sql.SQLException {
            writer.shutdown();
            connection.close();
        }
    }

    /** Routing callbacks as the old provider sends them: even numbers 1:1, odd numbers group messages. */
    private static final class Load implements Source {
        private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
        private final URI c2c;
        private final URI group;
        private final String secret;

        Load(int port, String secret) {
            this.c2c = URI.create("http://127.0.0.1:" + port + "/intake/old-system/c2c-message");
            this.group = URI.create("http://127.0.0.1:" + port + "/intake/old-system/group-message");
            this.secret = secret;
        }

        CompletableFuture<Integer> postC2c(String msgId, long from, long to, String text) {
            String body = "{\"msgId\":\"" + msgId + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                    + "\",\"type\":\"text\",\"body\":\"" + text + "\",\"time\":" + System.currentTimeMillis() + "}";
            HttpRequest request = HttpRequest.newBuilder(c2c).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-Intake-Secret", secret)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode)
                    .exceptionally(error -> -1);
        }

        @Override
        public CompletableFuture<Integer> post(long n) {
            long from = 1 + n % USERS;
            long to = 1 + (n * 7 + 3) % USERS;
            if (to == from) {
                to = 1 + from % USERS;
            }
            long now = System.currentTimeMillis();
            boolean isGroup = n % 2 == 1;
            String body = isGroup
                    ? "{\"msgId\":\"bench-g" + n + "\",\"groupId\":\"" + (1 + n % GROUPS) + "\",\"from\":\"" + from
                    + "\",\"type\":\"text\",\"body\":\"bench " + n + "\",\"time\":" + now + "}"
                    : "{\"msgId\":\"bench-c" + n + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                    + "\",\"type\":\"text\",\"body\":\"bench " + n + "\",\"time\":" + now + "}";
            HttpRequest request = HttpRequest.newBuilder(isGroup ? group : c2c).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-Intake-Secret", secret)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode)
                    .exceptionally(error -> -1);
        }
    }
}
