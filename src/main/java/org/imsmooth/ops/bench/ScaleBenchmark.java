package org.imsmooth.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.oldsystem.demo.DemoOldSystemGenerator;
import org.imsmooth.oldsystem.demo.DemoOldSystemProperties;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code java -jar im-migration.jar bench-scale}: the demo import with one instance and then with
 * two (and more, {@code --instances=1,2,3}) sharing one IM quota, side by side in one run, as in
 * production: the state and the old system on PostgreSQL, the work queues on one external Artemis
 * node (made from {@code ARTEMIS_HOME}, or {@code --broker-url}), IM (the sandbox) in its own JVM
 * with 50 ms of latency. Once at the APIs' default quotas, once at the quotas raised
 * ({@code --quota-factor=10}). Per run and API: IM's accepted calls/s over the 10-90% window
 * against the quota, rate-limited answers as a share of the calls, the import's wall time against
 * its quota-bound lower bound, each JVM's CPU; then each instance count's calls/s against one
 * instance's, and a projection to eight instances. Options: {@code --out=FILE.json}
 * (default bench-results/scale-benchmark.json; a Markdown summary next to it), {@code --demo-scale=K}
 * (the demo's sizes divided by K; 1: 6,000 users, 6,000 1:1 and 14,000 group messages),
 * {@code --instances=1,2}, {@code --quota-factors=1,10}, {@code --postgres=JDBC_URL} (user
 * postgres; password from PGPASSWORD), {@code --broker-url=URL} (user and password from BROKER_USER,
 * BROKER_PASSWORD), {@code --artemis-home=DIR}, {@code --xmx=512m}, {@code --sample-ms=250},
 * {@code --keep}. Exit code 0 when every goal passed, 1 otherwise, 2 on a usage error.
 */
public final class ScaleBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final double RATE_GOAL = 0.97;
    static final double REJECTED_GOAL = 0.005;
    static final double WALL_GOAL = 1.05;
    static final double SPEED_UP_GOAL = 1.6;
    static final int PROJECTED_INSTANCES = 8;

    record Options(Path out, int demoScale, List<Integer> instances, List<Integer> quotaFactors, String postgres,
                   String brokerUrl, Path artemisHome, Path routes, String xmx, long sampleMillis, boolean keep) {
    }

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench-scale: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Boolean> goals = new LinkedHashMap<>();
        results.put("machine", Machine.facts());
        results.put("loadAverageAtStart", loadAverage());
        results.put("demo", demo(options.demoScale()));
        results.put("latencyMs", QuotaThroughput.LATENCY_MS);
        results.put("instances", options.instances());
        results.put("quotaFactors", options.quotaFactors());
        results.put("goals", goals);
        Map<String, Object> runs = new LinkedHashMap<>();
        results.put("runs", runs);
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("im-bench-scale-");
        ArtemisBroker ownBroker = null;
        try {
            String brokerUrl = options.brokerUrl();
            String brokerUser = System.getenv().getOrDefault("BROKER_USER", "");
            String brokerPassword = System.getenv().getOrDefault("BROKER_PASSWORD", "");
            if (brokerUrl == null) {
                ownBroker = ArtemisBroker.start(options.artemisHome(), work.resolve("artemis"));
                brokerUrl = ownBroker.url();
                brokerUser = ArtemisBroker.USER;
                brokerPassword = ownBroker.password();
                results.put("broker", "Artemis node of its own (" + options.artemisHome() + ")");
            } else {
                results.put("broker", "external (" + brokerUrl + ")");
            }
            for (int factor : options.quotaFactors()) {
                Map<String, Object> byCount = new LinkedHashMap<>();
                runs.put("quotaX" + factor, byCount);
                for (int n : options.instances()) {
                    System.out.printf("[bench-scale] quota x%d, %d instance(s)%n", factor, n);
                    Map<String, Object> run = new ScaleRun(options, n, factor, brokerUrl, brokerUser, brokerPassword, ownBroker).run();
                    byCount.put(n + (n == 1 ? " instance" : " instances"), run);
                    write(options.out(), results);
                }
                compare(factor, byCount, options.instances(), goals, results);
                write(options.out(), results);
            }
            results.put("projection", projection(results, options));
        } finally {
            if (ownBroker != null) {
                ownBroker.close();
            }
            if (!options.keep()) {
                org.springframework.util.FileSystemUtils.deleteRecursively(work);
            }
        }
        results.put("benchmarkSeconds", Math.round((System.nanoTime() - started) / 1e9));
        results.put("loadAverageAtEnd", loadAverage());
        write(options.out(), results);
        Files.writeString(ImportBenchmark.markdownOf(options.out()), markdown(results));
        System.out.println(Files.readString(ImportBenchmark.markdownOf(options.out())));
        System.exit(goals.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1);
    }

    static Options parse(String[] args) {
        Path out = Path.of("bench-results/scale-benchmark.json");
        int demoScale = 1;
        List<Integer> instances = List.of(1, 2);
        List<Integer> factors = List.of(1, 10);
        String postgres = "jdbc:postgresql://127.0.0.1:5432/test";
        String brokerUrl = null;
        String home = System.getenv("ARTEMIS_HOME");
        Path routes = Path.of(System.getenv().getOrDefault("BENCH_ROUTES", "routes"));
        String xmx = "512m";
        long sampleMillis = 250;
        boolean keep = false;
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (arg.startsWith("--out=")) {
                out = Path.of(value);
            } else if (arg.startsWith("--demo-scale=")) {
                demoScale = Math.max(1, Integer.parseInt(value.trim()));
            } else if (arg.startsWith("--instances=")) {
                instances = integers(value);
            } else if (arg.startsWith("--quota-factors=")) {
                factors = integers(value);
            } else if (arg.startsWith("--postgres=")) {
                postgres = value;
            } else if (arg.startsWith("--broker-url=")) {
                brokerUrl = value;
            } else if (arg.startsWith("--artemis-home=")) {
                home = value;
            } else if (arg.startsWith("--routes=")) {
                routes = Path.of(value);
            } else if (arg.startsWith("--xmx=")) {
                xmx = value;
            } else if (arg.startsWith("--sample-ms=")) {
                sampleMillis = Math.max(50, Long.parseLong(value.trim()));
            } else if (arg.equals("--keep")) {
                keep = true;
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'; usage: bench-scale [--out=FILE.json] [--demo-scale=1]"
                        + " [--instances=1,2] [--quota-factors=1,10] [--postgres=JDBC_URL] [--broker-url=URL | --artemis-home=DIR]"
                        + " [--routes=DIR] [--xmx=512m] [--sample-ms=250] [--keep]");
            }
        }
        if (brokerUrl == null && (home == null || home.isBlank())) {
            throw new IllegalArgumentException("no broker: pass --broker-url=URL (BROKER_USER, BROKER_PASSWORD) or an Artemis "
                    + "distribution (ARTEMIS_HOME or --artemis-home=DIR) to run a node of its own");
        }
        if (!Files.isRegularFile(routes.resolve("old-system/mapping.yml"))) {
            throw new IllegalArgumentException("no routes folder at " + routes.toAbsolutePath()
                    + " (with old-system/mapping.yml): run from the project folder or pass --routes=DIR");
        }
        if (instances.isEmpty() || instances.get(0) != 1) {
            throw new IllegalArgumentException("--instances must start with 1: the others are compared with one instance");
        }
        return new Options(out, demoScale, instances, factors, postgres, brokerUrl, home == null ? null : Path.of(home),
                routes.toAbsolutePath(), xmx, sampleMillis, keep);
    }

    private static List<Integer> integers(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            out.add(Integer.parseInt(part.trim()));
        }
        return out;
    }

    /** The demo of the quota benchmark ({@link QuotaThroughput#demo}), divided by {@code scale}. */
    static DemoOldSystemProperties demo(int scale) {
        return new DemoOldSystemProperties("true", 6000 / scale, 5, 6000 / scale, Math.max(1, 1000 / scale), 5, 14000 / scale, 42, false);
    }

    // ---- one run: N instances at one quota --------------------------------------------------------

    /** The sandbox, the instances and what they were seen doing. */
    private static final class ScaleRun {
        private final Options options;
        private final int instances;
        private final int factor;
        private final String brokerUrl;
        private final String brokerUser;
        private final String brokerPassword;
        private final ArtemisBroker broker;

        ScaleRun(Options options, int instances, int factor, String brokerUrl, String brokerUser, String brokerPassword, ArtemisBroker broker) {
            this.options = options;
            this.instances = instances;
            this.factor = factor;
            this.brokerUrl = brokerUrl;
            this.brokerUser = brokerUser;
            this.brokerPassword = brokerPassword;
            this.broker = broker;
        }

        Map<String, Object> run() throws Exception {
            String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            String oldSchema = "bench_scale_old_" + suffix;
            String stateSchema = "bench_scale_state_" + suffix;
            String password = System.getenv().getOrDefault("PGPASSWORD", "");
            try (Connection admin = DriverManager.getConnection(options.postgres(), "postgres", password)) {
                admin.createStatement().execute("CREATE SCHEMA " + oldSchema);
                admin.createStatement().execute("CREATE SCHEMA " + stateSchema);
            }
            String oldUrl = schemaUrl(options.postgres(), oldSchema);
            System.out.printf("[bench-scale] generating the demo old system in %s%n", oldSchema);
            new DemoOldSystemGenerator(new DriverManagerDataSource(oldUrl, "postgres", password), demo(options.demoScale()), oldUrl)
                    .afterPropertiesSet();
            Path sandboxDir = Files.createTempDirectory("im-bench-scale-sandbox-");
            List<MigrationServiceProcess> services = new ArrayList<>();
            MigrationServiceProcess sandbox = null;
            try {
                List<String> quotas = new ArrayList<>();
                List<String> sandboxSettings = new ArrayList<>(List.of("--sandbox.faults.latency-ms=" + QuotaThroughput.LATENCY_MS,
                        "--sandbox.quota-window=sliding"));
                if (factor != 1) {
                    for (ImApi api : ImApi.values()) {
                        sandboxSettings.add("--sandbox.quota.calls-per-second." + api.command() + "=" + api.defaultCallsPerSecond() * factor);
                        quotas.add("--pipeline.quota." + api.command() + "=" + api.defaultCallsPerSecond() * factor);
                    }
                }
                sandbox = MigrationServiceProcess.startSandbox(sandboxDir, options.xmx(), sandboxSettings);
                sandbox.awaitSandboxUp(Duration.ofMinutes(5));
                Map<String, String> environment = Map.of("BROKER_PASSWORD", brokerPassword,
                        "STATE_DB_PASSWORD", password, "OLD_SYSTEM_DB_PASSWORD", password);
                for (int i = 1; i <= instances; i++) {
                    List<String> settings = new ArrayList<>(List.of(
                            "--instance.id=bench-" + i,
                            "--spring.datasource.url=" + schemaUrl(options.postgres(), stateSchema),
                            "--spring.datasource.username=postgres",
                            "--oldsystem.datasource.url=" + oldUrl,
                            "--oldsystem.datasource.username=postgres",
                            "--oldsystem.demo.enabled=false",
                            "--spring.artemis.mode=native",
                            "--spring.artemis.embedded.enabled=false",
                            "--spring.artemis.broker-url=" + brokerUrl,
                            "--spring.artemis.user=" + brokerUser,
                            "--sandbox.enabled=false",
                            "--im.base-url=http://127.0.0.1:" + sandbox.port(),
                            // an IM that is not the built-in sandbox is production: callbacks must be signed
                            "--im.callback-token=" + UUID.randomUUID(),
                            // as the quota benchmark: 5 accounts a call, so the accounts stage makes enough calls
                            "--pipeline.accounts.batch-size=5"));
                    settings.addAll(quotas);
                    services.add(MigrationServiceProcess.start("scale-" + i, options.xmx(), options.routes(), settings, options.keep(), environment));
                }
                for (MigrationServiceProcess s : services) {
                    s.awaitUp(Duration.ofMinutes(5));
                }
                return observe(sandbox, services);
            } finally {
                for (MigrationServiceProcess s : services) {
                    s.close();
                }
                if (sandbox != null) {
                    sandbox.close();
                }
                if (!options.keep()) {
                    org.springframework.util.FileSystemUtils.deleteRecursively(sandboxDir);
                    try (Connection admin = DriverManager.getConnection(options.postgres(), "postgres", password)) {
                        admin.createStatement().execute("DROP SCHEMA IF EXISTS " + oldSchema + " CASCADE");
                        admin.createStatement().execute("DROP SCHEMA IF EXISTS " + stateSchema + " CASCADE");
                    }
                }
            }
        }

        private Map<String, Object> observe(MigrationServiceProcess sandbox, List<MigrationServiceProcess> services) throws Exception {
            Map<String, List<SteadyStateRate.Sample>> accepted = new LinkedHashMap<>();
            List<CpuSample> cpu = new ArrayList<>();
            Map<Integer, JsonNode> lastStatus = new LinkedHashMap<>();
            JsonNode stats = null;
            JsonNode finishedStatus = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(45).toNanos();
            long lastStatusAt = 0;
            long lastLog = 0;
            double loadBefore = Machine.load1m();
            while (finishedStatus == null) {
                long now = System.currentTimeMillis();
                JsonNode s = sandbox.get("/sandbox/admin/stats");
                if (s != null) {
                    stats = s;
                    MigrationRun.record(accepted, now, s);
                }
                cpu.add(CpuSample.take(now, services, sandbox, broker));
                if (now - lastStatusAt >= 500) {
                    lastStatusAt = now;
                    for (int i = 0; i < services.size(); i++) {
                        services.get(i).ensureAlive();
                        JsonNode st = services.get(i).get("/api/migration/status");
                        if (st != null) {
                            lastStatus.put(i, st);
                            if (st.path("finished").asBoolean()) {
                                finishedStatus = st;
                            }
                        }
                    }
                    if (now - lastLog > 10_000 && !lastStatus.isEmpty()) {
                        lastLog = now;
                        JsonNode st = lastStatus.values().iterator().next();
                        System.out.printf("[bench-scale] quota x%d, %d instance(s): %d/%d imported%n", factor, instances,
                                st.path("imported").asLong(), st.path("total").asLong());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("import not finished after 45 minutes; log tail:\n" + services.get(0).logTail());
                }
                Thread.sleep(options.sampleMillis());
            }
            JsonNode last = sandbox.get("/sandbox/admin/stats");
            if (last != null) {
                stats = last;
                MigrationRun.record(accepted, System.currentTimeMillis(), last);
            }
            cpu.add(CpuSample.take(System.currentTimeMillis(), services, sandbox, broker));
            // the other instances' own call counters, once more now that the import is done
            for (int i = 0; i < services.size(); i++) {
                JsonNode st = services.get(i).get("/api/migration/status");
                if (st != null) {
                    lastStatus.put(i, st);
                }
            }
            return analyse(accepted, MigrationRun.counters(stats, "calls"), MigrationRun.counters(stats, "rejectedByQuota"),
                    finishedStatus, lastStatus, cpu, loadBefore);
        }

        private Map<String, Object> analyse(Map<String, List<SteadyStateRate.Sample>> accepted, Map<String, Long> calls,
                                            Map<String, Long> rejected, JsonNode status, Map<Integer, JsonNode> perInstance,
                                            List<CpuSample> cpu, double loadBefore) throws Exception {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("instances", instances);
            out.put("quotaFactor", factor);
            out.put("load1mBefore", loadBefore);
            out.put("load1mAfter", Machine.load1m());
            Map<String, List<String>> plan = StagePlan.load();
            Map<String, Object> apis = new LinkedHashMap<>();
            Map<String, Long> stageCalls = new LinkedHashMap<>();
            Map<String, Double> stageQuota = new LinkedHashMap<>();
            long allCalls = 0;
            long allRejected = 0;
            long allAccepted = 0;
            boolean nothingLost = true;
            for (String stage : plan.keySet()) {
                ImApi api = StagePlan.API_OF_STAGE.get(stage);
                double quota = api.defaultCallsPerSecond() * (double) factor;
                long made = calls.getOrDefault(api.command(), 0L);
                long refused = rejected.getOrDefault(api.command(), 0L);
                SteadyStateRate.Result rate = SteadyStateRate.of(accepted.getOrDefault(api.command(), List.of()));
                JsonNode s = stage(status, stage);
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("stage", stage);
                a.put("quota", quota);
                a.put("callsAccepted", made - refused);
                a.put("steadyCallsPerSecond", QuotaThroughput.round(rate.callsPerSecond()));
                a.put("ofQuota", QuotaThroughput.round(rate.callsPerSecond() / quota));
                a.put("rateLimitedShareOfCalls", made == 0 ? 0.0 : QuotaThroughput.round((double) refused / made));
                a.put("rateLimited", refused);
                Map<String, Long> byInstance = new LinkedHashMap<>();
                perInstance.forEach((i, st) -> byInstance.put(st.path("instance").path("id").asText("instance-" + i),
                        st.path("instance").path("apis").path(api.command()).path("calls").asLong()));
                a.put("callsByInstance", byInstance);
                long late = 0;
                long unused = 0;
                for (JsonNode st : perInstance.values()) {
                    late += st.path("instance").path("apis").path(api.command()).path("lateSlots").asLong();
                    unused += st.path("instance").path("apis").path(api.command()).path("unusedSlots").asLong();
                }
                // capacity lost: slots given up because their callers woke too late, and slots no caller took
                a.put("lateSlots", late);
                a.put("unusedSlots", unused);
                a.put("records", s.path("total").asLong());
                a.put("imported", s.path("imported").asLong());
                a.put("deadLettered", s.path("deadLettered").asLong());
                nothingLost &= s.path("imported").asLong() == s.path("total").asLong() && s.path("deadLettered").asLong() == 0;
                apis.put(api.command(), a);
                stageCalls.put(stage, made - refused);
                stageQuota.put(stage, quota);
                allCalls += made;
                allRejected += refused;
                allAccepted += made - refused;
            }
            out.put("apis", apis);
            out.put("nothingLostOrDeadLettered", nothingLost);
            out.put("rateLimitedShareOfAllCalls", allCalls == 0 ? 0.0 : QuotaThroughput.round((double) allRejected / allCalls));
            QuotaLowerBound.Result bound = QuotaLowerBound.of(plan, stageCalls, stageQuota);
            Instant first = null;
            Instant last = null;
            for (JsonNode s : status.path("stages")) {
                Instant started = MigrationRun.instant(s.get("startedAt"));
                Instant finished = MigrationRun.instant(s.get("finishedAt"));
                first = started != null && (first == null || started.isBefore(first)) ? started : first;
                last = finished != null && (last == null || finished.isAfter(last)) ? finished : last;
            }
            double wall = first == null || last == null ? Double.NaN : Duration.between(first, last).toMillis() / 1000.0;
            out.put("wallSeconds", QuotaThroughput.round(wall));
            out.put("lowerBoundSeconds", QuotaThroughput.round(bound.seconds()));
            out.put("wallOverLowerBound", QuotaThroughput.round(wall / bound.seconds()));
            out.put("criticalChain", bound.chain());
            out.put("callsAccepted", allAccepted);
            out.put("callsPerSecond", QuotaThroughput.round(allAccepted / wall));
            if (first != null && last != null) {
                out.put("cpu", CpuSample.between(cpu, first.toEpochMilli(), last.toEpochMilli(), allAccepted));
            }
            return out;
        }
    }

    static String schemaUrl(String postgres, String schema) {
        return postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static JsonNode stage(JsonNode status, String name) {
        for (JsonNode s : status.path("stages")) {
            if (name.equals(s.path("stage").asText())) {
                return s;
            }
        }
        return JSON.createObjectNode();
    }

    // ---- CPU ------------------------------------------------------------------------------------

    /** CPU nanoseconds of each JVM and the machine's busy and total jiffies at one moment. */
    record CpuSample(long atMillis, List<Long> instances, long sandbox, long broker, long machineBusy, long machineTotal) {

        static CpuSample take(long now, List<MigrationServiceProcess> services, MigrationServiceProcess sandbox, ArtemisBroker broker) {
            List<Long> own = new ArrayList<>();
            for (MigrationServiceProcess s : services) {
                own.add(s.cpuNanos());
            }
            long[] machine = machineJiffies();
            return new CpuSample(now, own, sandbox.cpuNanos(), broker == null ? -1 : broker.cpuNanos(), machine[0], machine[1]);
        }

        /** Cores each JVM used on average between the samples nearest {@code from} and {@code to}. */
        static Map<String, Object> between(List<CpuSample> samples, long from, long to, long calls) {
            CpuSample a = nearest(samples, from);
            CpuSample b = nearest(samples, to);
            double seconds = (b.atMillis() - a.atMillis()) / 1000.0;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("windowSeconds", QuotaThroughput.round(seconds));
            List<Double> cores = new ArrayList<>();
            double servicesCpu = 0;
            for (int i = 0; i < a.instances().size(); i++) {
                double used = (b.instances().get(i) - a.instances().get(i)) / 1e9;
                servicesCpu += used;
                cores.add(QuotaThroughput.round(used / seconds));
            }
            out.put("instanceCores", cores);
            out.put("sandboxCores", QuotaThroughput.round((b.sandbox() - a.sandbox()) / 1e9 / seconds));
            if (a.broker() >= 0) {
                out.put("brokerCores", QuotaThroughput.round((b.broker() - a.broker()) / 1e9 / seconds));
                out.put("brokerCpuMsPerCall", calls == 0 ? null : QuotaThroughput.round((b.broker() - a.broker()) / 1e6 / calls));
            }
            long total = b.machineTotal() - a.machineTotal();
            out.put("machineBusy", total <= 0 ? null : QuotaThroughput.round((double) (b.machineBusy() - a.machineBusy()) / total));
            out.put("serviceCpuMsPerCall", calls == 0 ? null : QuotaThroughput.round(servicesCpu * 1000 / calls));
            return out;
        }

        private static CpuSample nearest(List<CpuSample> samples, long at) {
            CpuSample best = samples.get(0);
            for (CpuSample s : samples) {
                if (Math.abs(s.atMillis() - at) < Math.abs(best.atMillis() - at)) {
                    best = s;
                }
            }
            return best;
        }

        /** {busy, total} jiffies of all cores from /proc/stat; zeros where there is none. */
        private static long[] machineJiffies() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
                return new long[] {total - idle, total};
            } catch (Exception notLinux) {
                return new long[] {0, 0};
            }
        }
    }

    // ---- comparisons ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static void compare(int factor, Map<String, Object> byCount, List<Integer> counts, Map<String, Boolean> goals,
                                Map<String, Object> results) {
        Map<String, Object> one = (Map<String, Object>) byCount.get("1 instance");
        Map<String, Object> comparison = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : byCount.entrySet()) {
            Map<String, Object> run = (Map<String, Object>) e.getValue();
            int n = (Integer) run.get("instances");
            boolean atQuota = true;
            boolean fewRejected = (Double) run.get("rateLimitedShareOfAllCalls") <= REJECTED_GOAL;
            for (Object a : ((Map<String, Object>) run.get("apis")).values()) {
                Object ofQuota = ((Map<String, Object>) a).get("ofQuota");
                atQuota &= ofQuota instanceof Double d && d >= RATE_GOAL;
            }
            boolean wallOk = (Double) run.get("wallOverLowerBound") <= WALL_GOAL;
            if (factor == 1) {
                goals.put(n + " instance(s), default quota: every API >= 97% of its quota", atQuota);
                goals.put(n + " instance(s), default quota: rate-limited answers <= 0.5% of calls", fewRejected);
                goals.put(n + " instance(s), default quota: wall time within 5% of the lower bound", wallOk);
            }
            goals.put(n + " instance(s), quota x" + factor + ": nothing lost or dead-lettered", (Boolean) run.get("nothingLostOrDeadLettered"));
            if (n == 1 || one == null) {
                continue;
            }
            Map<String, Object> c = new LinkedHashMap<>();
            double speedUp = (Double) run.get("callsPerSecond") / (Double) one.get("callsPerSecond");
            c.put("callsPerSecondOverOneInstance", QuotaThroughput.round(speedUp));
            c.put("wallSecondsOverOneInstance", QuotaThroughput.round((Double) run.get("wallSeconds") / (Double) one.get("wallSeconds")));
            Map<String, Object> perApi = new LinkedHashMap<>();
            Map<String, Object> oneApis = (Map<String, Object>) one.get("apis");
            ((Map<String, Object>) run.get("apis")).forEach((api, a) -> {
                Object mine = ((Map<String, Object>) a).get("steadyCallsPerSecond");
                Object theirs = ((Map<String, Object>) oneApis.get(api)).get("steadyCallsPerSecond");
                perApi.put(api, mine instanceof Double m && theirs instanceof Double t && t > 0 ? QuotaThroughput.round(m / t) : null);
            });
            c.put("steadyCallsPerSecondOverOneInstanceByApi", perApi);
            c.put("boundBy", boundBy(run));
            comparison.put(n + " instances", c);
            if (factor > 1 && n == 2) {
                goals.put("2 instances, quota x" + factor + ": >= " + SPEED_UP_GOAL + "x one instance's calls/s", speedUp >= SPEED_UP_GOAL);
            }
        }
        comparison.put("oneInstanceBoundBy", one == null ? null : boundBy(one));
        ((Map<String, Object>) results.computeIfAbsent("comparisons", k -> new LinkedHashMap<>())).put("quotaX" + factor, comparison);
    }

    /** What held a run back: the quota (every API near it), the machine's CPU, or neither (calls in flight). */
    @SuppressWarnings("unchecked")
    static String boundBy(Map<String, Object> run) {
        boolean atQuota = true;
        for (Object a : ((Map<String, Object>) run.get("apis")).values()) {
            Object ofQuota = ((Map<String, Object>) a).get("ofQuota");
            atQuota &= ofQuota instanceof Double d && d >= 0.9;
        }
        Map<String, Object> cpu = (Map<String, Object>) run.get("cpu");
        Double busy = cpu == null ? null : (Double) cpu.get("machineBusy");
        if (atQuota) {
            return "the quota (every API at >= 90% of it)";
        }
        if (busy != null && busy >= 0.85) {
            return "CPU: the machine's cores were " + Math.round(busy * 100) + "% busy (instances " + cpu.get("instanceCores")
                    + " cores, sandbox " + cpu.get("sandboxCores") + ", broker " + cpu.get("brokerCores") + ")";
        }
        return "neither the quota nor the CPU (machine " + (busy == null ? "?" : Math.round(busy * 100) + "%")
                + " busy): calls in flight (consumers x IM latency)";
    }

    /**
     * Eight instances, each on a host like this one, from the raised-quota run with the most instances:
     * the service's CPU per accepted call sets each instance's ceiling (this machine's cores / CPU per
     * call); the shared broker's CPU per call what one broker node carries; the quota the cap.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> projection(Map<String, Object> results, Options options) {
        int factor = options.quotaFactors().get(options.quotaFactors().size() - 1);
        Map<String, Object> byCount = (Map<String, Object>) ((Map<String, Object>) results.get("runs")).get("quotaX" + factor);
        if (byCount == null || byCount.isEmpty()) {
            return null;
        }
        Map<String, Object> run = (Map<String, Object>) new ArrayList<>(byCount.values()).get(byCount.size() - 1);
        Map<String, Object> cpu = (Map<String, Object>) run.get("cpu");
        if (cpu == null || cpu.get("serviceCpuMsPerCall") == null) {
            return null;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double serviceMsPerCall = (Double) cpu.get("serviceCpuMsPerCall");
        Double brokerMsPerCall = (Double) cpu.get("brokerCpuMsPerCall");
        double perInstance = cores * 1000.0 / serviceMsPerCall;
        // the quota of the APIs that run at once: the sum over the import's APIs is an upper cap
        double quotaCap = 0;
        for (Object a : ((Map<String, Object>) run.get("apis")).values()) {
            quotaCap += (Double) ((Map<String, Object>) a).get("quota");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", "quota x" + factor + ", " + run.get("instances") + " instance(s)");
        p.put("instances", PROJECTED_INSTANCES);
        p.put("coresPerHost", cores);
        p.put("serviceCpuMsPerCall", serviceMsPerCall);
        p.put("oneInstanceCeilingCallsPerSecond", Math.round(perInstance));
        p.put("cpuCeilingCallsPerSecond", Math.round(PROJECTED_INSTANCES * perInstance));
        p.put("quotaCapCallsPerSecond", Math.round(quotaCap));
        if (brokerMsPerCall != null) {
            p.put("brokerCpuMsPerCall", brokerMsPerCall);
            p.put("brokerCoresAtCpuCeiling", QuotaThroughput.round(Math.min(PROJECTED_INSTANCES * perInstance, quotaCap) * brokerMsPerCall / 1000));
        }
        double projected = Math.min(PROJECTED_INSTANCES * perInstance, quotaCap);
        p.put("projectedCallsPerSecond", Math.round(projected));
        p.put("how", "each instance on its own host with " + cores + " cores: one instance carries (cores / service CPU per call)"
                + " calls/s, eight carry eight times that, capped by the import's APIs' quotas summed (stages on different APIs"
                + " overlap only partly, so the real cap is lower); the shared broker needs brokerCpuMsPerCall x calls/s of CPU,"
                + " and the state database one quota round trip per API per instance every pipeline.quota-batch-millis (100 ms)."
                + " Measured on a loaded machine: CPU per call includes time lost to contention.");
        return p;
    }

    // ---- output ---------------------------------------------------------------------------------

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.valueOf(Machine.load1m());
        }
    }

    private static void write(Path out, Map<String, Object> results) throws Exception {
        Path file = out.toAbsolutePath();
        Files.createDirectories(file.getParent());
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
        System.out.println("[bench-scale] results written to " + file);
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> results) {
        StringBuilder md = new StringBuilder("# Scale-out benchmark\n\n");
        md.append("Machine: ").append(results.get("machine")).append("; load average at start ")
                .append(results.get("loadAverageAtStart")).append(", at end ").append(results.get("loadAverageAtEnd")).append("\n\n");
        md.append("| quota | instances | API | calls/s (10-90%) | of quota | rate-limited | wall s | lower bound s | wall / bound | CPU cores (instances; sandbox; broker; machine busy) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Object> byFactor : ((Map<String, Object>) results.get("runs")).entrySet()) {
            for (Object r : ((Map<String, Object>) byFactor.getValue()).values()) {
                Map<String, Object> run = (Map<String, Object>) r;
                Map<String, Object> cpu = (Map<String, Object>) run.get("cpu");
                String cpuText = cpu == null ? "" : cpu.get("instanceCores") + "; " + cpu.get("sandboxCores") + "; "
                        + cpu.getOrDefault("brokerCores", "-") + "; " + cpu.get("machineBusy");
                boolean firstRow = true;
                for (Map.Entry<String, Object> a : ((Map<String, Object>) run.get("apis")).entrySet()) {
                    Map<String, Object> api = (Map<String, Object>) a.getValue();
                    md.append("| x").append(run.get("quotaFactor")).append(" | ").append(run.get("instances")).append(" | ")
                            .append(a.getKey()).append(" | ").append(api.get("steadyCallsPerSecond")).append(" | ")
                            .append(api.get("ofQuota")).append(" | ").append(api.get("rateLimitedShareOfCalls")).append(" | ")
                            .append(firstRow ? run.get("wallSeconds") : "").append(" | ").append(firstRow ? run.get("lowerBoundSeconds") : "")
                            .append(" | ").append(firstRow ? run.get("wallOverLowerBound") : "").append(" | ").append(firstRow ? cpuText : "")
                            .append(" |\n");
                    firstRow = false;
                }
            }
        }
        md.append("\nComparisons: ").append(results.get("comparisons")).append("\n\nProjection: ").append(results.get("projection"))
                .append("\n\nGoals: ").append(results.get("goals")).append('\n');
        return md.toString();
    }
}
