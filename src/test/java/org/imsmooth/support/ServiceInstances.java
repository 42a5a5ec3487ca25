package org.imsmooth.support;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.broker.ArtemisNodes;
import org.imsmooth.oldsystem.demo.DemoOldSystemGenerator;
import org.imsmooth.oldsystem.demo.DemoOldSystemProperties;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Several instances of the service sharing one import, each a JVM of its own ({@link ServiceJvm}), as in
 * production (docs/scale-out.md): the state and the old system (the demo's data) in PostgreSQL schemas of
 * this import, the work queues on external Artemis nodes ({@link ArtemisNodes}), IM as a sandbox JVM. A
 * wait asks every running instance's status API in turn and fails at once, with the log's tail, when one
 * of them dies. Logs, reports and the sandbox's store stay in the test's folder.
 */
public final class ServiceInstances implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m");
    private static final Duration POLL = Duration.ofMillis(100);

    private final Path dir;
    private final String oldSchema;
    private final String stateSchema;
    private final Map<String, ServiceJvm.Run> running = new LinkedHashMap<>();
    private final List<ServiceJvm.Run> started = new ArrayList<>();
    private ServiceJvm.Run sandbox;
    private ArtemisNodes brokers;

    /** {@code name} prefixes the import's schemas ({@code <name>_old_<random>}, {@code <name>_state_<random>}). */
    public ServiceInstances(Path dir, String name) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.dir = dir;
        this.oldSchema = name + "_old_" + suffix;
        this.stateSchema = name + "_state_" + suffix;
    }

    public Path dir() {
        return dir;
    }

    /** Real broker nodes in {@code brokerDir} ({@link ArtemisNodes#fromDistribution}), stopped on {@link #close} after the instances. */
    public ArtemisNodes brokers(Path brokerDir) throws IOException {
        brokers = ArtemisNodes.fromDistribution(brokerDir);
        return brokers;
    }

    /** Makes the import's schemas and fills the old system with the demo's data. */
    public void createOldSystem(DemoOldSystemProperties demo) throws Exception {
        try (Connection c = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + oldSchema);
            c.createStatement().execute("CREATE SCHEMA " + stateSchema);
        }
        String url = inSchema(oldSchema);
        new DemoOldSystemGenerator(new DriverManagerDataSource(url, "postgres", ""), demo, url).afterPropertiesSet();
    }

    public Connection state() throws SQLException {
        return DriverManager.getConnection(inSchema(stateSchema), "postgres", "");
    }

    public Connection oldSystem() throws SQLException {
        return DriverManager.getConnection(inSchema(oldSchema), "postgres", "");
    }

    /** Starts IM's sandbox (its store on disk in the folder, a few ms per call, then {@code settings}) and waits for it. */
    public ServiceJvm.Run startSandbox(List<String> settings) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--sandbox.faults.latency-ms=5"));
        all.addAll(settings);
        sandbox = ServiceJvm.startSandbox(dir, all);
        return sandbox;
    }

    /**
     * Starts instance {@code id} on the import's state and old system, connected to {@code brokerUrl} (its
     * password in the environment), IM at the sandbox; {@code run} names its log ({@code instance-<run>.log})
     * and report; {@code settings} come last. Running under {@code id} from now on (a restart replaces it).
     */
    public ServiceJvm.Run start(String id, String run, String brokerUrl, List<String> settings) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        List<String> all = new ArrayList<>(List.of(
                "--instance.id=" + id,
                // short leases: an instance's death is noticed within seconds (production keeps 30 s)
                "--migration.lease-ttl=4s",
                "--spring.datasource.url=" + inSchema(stateSchema),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--oldsystem.datasource.url=" + inSchema(oldSchema),
                "--oldsystem.datasource.username=postgres",
                "--oldsystem.datasource.password=",
                "--oldsystem.demo.enabled=false",
                "--spring.artemis.mode=native",
                "--spring.artemis.embedded.enabled=false",
                "--spring.artemis.broker-url=" + brokerUrl,
                "--spring.artemis.user=" + ArtemisNodes.USER,
                "--migration.reconcile.roaming-days=3650",
                "--camel.main.routes-include-pattern=file:" + project.resolve("routes") + "/*.yaml",
                "--spring.config.import=optional:file:" + project.resolve("routes/old-system/mapping.yml"),
                "--migration.report-file=" + dir + "/report-" + run + ".json",
                "--migration.progress-interval=5s"));
        all.addAll(ServiceJvm.imAt(sandbox, "instances-callback-token"));
        all.addAll(settings);
        ServiceJvm.Run instance = ServiceJvm.start(dir, "instance-" + run + ".log", JVM_OPTIONS, all,
                Map.of("BROKER_PASSWORD", ArtemisNodes.PASSWORD));
        started.add(instance);
        running.put(id, instance);
        return instance;
    }

    /** The running instances by id, in the order they were first started. */
    public Map<String, ServiceJvm.Run> running() {
        return Collections.unmodifiableMap(running);
    }

    public ServiceJvm.Run get(String id) {
        return running.get(id);
    }

    /** SIGKILL of instance {@code id}, which is no longer running. */
    public void kill(String id) throws InterruptedException {
        ServiceJvm.Run instance = running.remove(id);
        instance.kill();
        if (instance.process().isAlive()) {
            throw new AssertionError("instance " + id + " still alive after SIGKILL");
        }
    }

    /** Waits until every running instance answers its status. */
    public void awaitUp(Duration timeout) throws InterruptedException {
        for (Map.Entry<String, ServiceJvm.Run> instance : running.entrySet()) {
            instance.getValue().awaitStatus(timeout, s -> true, "instance " + instance.getKey() + " up");
        }
    }

    /** The first status of a running instance for which {@code until} holds; fails when one dies, or after {@code timeout}. */
    public JsonNode awaitStatus(Duration timeout, Predicate<JsonNode> until, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode seen = null;
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, ServiceJvm.Run> instance : running.entrySet()) {
                ServiceJvm.Run run = instance.getValue();
                if (!run.process().isAlive()) {
                    throw new AssertionError("instance " + instance.getKey() + " died while waiting for " + what + "; log:\n" + run.tail());
                }
                JsonNode status = run.status();
                if (status != null) {
                    seen = status;
                    if (until.test(status)) {
                        return status;
                    }
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new AssertionError("no " + what + " within " + timeout + "; last status " + seen + "; logs in " + dir);
    }

    /** The id of the instance holding the reader lease, as it says itself. */
    public String readerLeaseHolder(Duration timeout) throws InterruptedException {
        return awaitStatus(timeout, s -> s.path("instance").path("readerLease").asBoolean(), "a reader-lease holder")
                .path("instance").path("id").asText();
    }

    /** Stage {@code name} of a status (an empty object when the status has none of that name). */
    public static JsonNode stage(JsonNode status, String name) {
        for (JsonNode stage : status.path("stages")) {
            if (name.equals(stage.path("stage").asText())) {
                return stage;
            }
        }
        return JSON.createObjectNode();
    }

    /**
     * Kills every JVM started here (the sandbox last), then stops the brokers (an instance with unlimited
     * reconnect attempts would wait for a broker for ever), and drops the import's schemas.
     */
    @Override
    public void close() throws InterruptedException {
        for (ServiceJvm.Run instance : started) {
            instance.kill();
        }
        running.clear();
        if (sandbox != null) {
            sandbox.kill();
        }
        if (brokers != null) {
            brokers.stopAll();
        }
        try (Connection c = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + oldSchema + " CASCADE");
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + stateSchema + " CASCADE");
        } catch (SQLException ignored) {
            // never reached PostgreSQL: the test was skipped
        }
    }

    private static String inSchema(String schema) {
        return RealServices.POSTGRES_URL + "?currentSchema=" + schema;
    }
}
