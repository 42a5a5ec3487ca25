package org.imsmooth.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.util.FileSystemUtils;

/** What a test needs to start the service as a JVM of its own (one-shot runs, kills, exit codes). */
public final class ServiceJvm {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceJvm() {
    }

    /** The java launcher of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test class path (surefire's, when surefire runs the test in a forked JVM). */
    public static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /**
     * {@code java <documented options> <jvmOptions> -cp <test class path> ImMigrationApplication}: the service
     * as README "JVM settings" runs it (the client compiler alone starts it in two thirds of the time); the
     * test's own options come after the documented ones and win.
     */
    public static List<String> javaCommand(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(org.imsmooth.ops.bench.DocumentedJvmOptions.OPTIONS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath(), "org.imsmooth.ImMigrationApplication"));
        return command;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Settings of a service that keeps what must survive a kill in files under {@code dir}: the embedded
     * broker's journal; routes from this project's {@code routes/}, the report in {@code dir/report.json},
     * roaming long enough for any test's history, leases of 6 s.
     */
    public static List<String> serviceUnder(Path dir) {
        Path project = Path.of("").toAbsolutePath();
        return List.of(
                "--migration.reconcile.roaming-days=3650",
                "--spring.artemis.embedded.data-directory=" + dir + "/artemis",
                "--camel.main.routes-include-pattern=file:" + project.resolve("routes") + "/*.yaml",
                "--migration.report-file=" + dir + "/report.json",
                // a run started after a kill takes the leases its dead predecessor held within seconds, not 30
                "--migration.lease-ttl=6s", "--log-capture.lease-interval-ms=1000");
    }

    /** The IM sandbox's store in {@code dir/sandbox} (H2, on disk at each commit), roaming long enough for any test. */
    public static List<String> sandboxUnder(Path dir) {
        return List.of("--sandbox.state-url=jdbc:h2:file:" + dir + "/sandbox;WRITE_DELAY=0", "--sandbox.roaming-days=3650");
    }

    /**
     * IM's stand-in as a JVM of its own ({@code ImMigrationApplication sandbox}), its store under {@code dir}
     * ({@link #sandboxUnder}), log {@code dir/sandbox.log}; returns once it answers. A test that kills the
     * service leaves this one running, as IM keeps running when the service dies.
     */
    public static Run startSandbox(Path dir, List<String> settings) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("sandbox"));
        all.addAll(sandboxUnder(dir));
        all.addAll(settings);
        Run sandbox = start(dir, "sandbox.log", List.of("-Xmx384m"), all);
        sandbox.await(Duration.ofMinutes(3), () -> sandbox.get("/sandbox/admin/stats") != null, "the sandbox up");
        return sandbox;
    }

    /**
     * Settings of a service whose IM is the sandbox JVM {@code sandbox} (the built-in one off). Any IM but the
     * built-in sandbox counts as production, so IM -> old sync needs a callback token: {@code callbackToken}.
     */
    public static List<String> imAt(Run sandbox, String callbackToken) {
        return List.of("--sandbox.enabled=false", "--im.base-url=http://127.0.0.1:" + sandbox.port(),
                "--im.callback-token=" + callbackToken);
    }

    /** The service's own state in an H2 file under {@code dir}, committed to disk at each commit. */
    public static String h2StateUnder(Path dir) {
        return "--spring.datasource.url=jdbc:h2:file:" + dir + "/state;WRITE_DELAY=0";
    }

    /**
     * Starts {@code java <jvmOptions> -cp <test class path> ImMigrationApplication <settings>
     * --server.port=<free>} in {@code dir} (settings may start with a command: {@code sandbox}), its output in {@code dir/<log>}, a fresh operator password in
     * {@code OPS_PASSWORD} as in production.
     */
    public static Run start(Path dir, String log, List<String> jvmOptions, List<String> settings) throws IOException {
        return start(dir, log, jvmOptions, settings, Map.of());
    }

    /** As {@link #start(Path, String, List, List)}, with secrets (e.g. {@code BROKER_PASSWORD}) in the environment, never on the command line. */
    public static Run start(Path dir, String log, List<String> jvmOptions, List<String> settings, Map<String, String> environment)
            throws IOException {
        String operatorPassword = "service-jvm-" + UUID.randomUUID();
        int port = freePort();
        List<String> command = javaCommand(jvmOptions);
        command.addAll(settings);
        command.add("--server.port=" + port);
        Path logFile = dir.resolve(log);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("OPS_PASSWORD", operatorPassword);
        return new Run(builder.start(), port, logFile, operatorPassword);
    }

    /** Empties (or makes) {@code dir}: a test's folder under target/, kept after it for a failure's logs and databases. */
    public static void emptyDir(Path dir) throws IOException {
        FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
    }

    /** The last 60 lines of a log. */
    public static String tail(String log) {
        String[] lines = log.split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, lines.length - 60); i < lines.length; i++) {
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }

    /** What a test waits for. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws InterruptedException;
    }

    /** A started service JVM: its process, HTTP port and log file. */
    public record Run(Process process, int port, Path log, String operatorPassword) {

        /** The last lines of its log (for assertion messages). */
        public String tail() {
            try {
                return Files.exists(log) ? ServiceJvm.tail(Files.readString(log)) : "(no log yet)";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code GET /api/migration/status} as the operator; null while the service does not answer yet. */
        public JsonNode status() throws InterruptedException {
            return get("/api/migration/status");
        }

        /** A GET as the operator: the JSON answer, or null while the JVM does not answer (yet) or answers other than 200. */
        public JsonNode get(String path) throws InterruptedException {
            try {
                HttpResponse<String> r = HTTP.send(request(path).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            } catch (IOException notUpYet) {
                return null;
            }
        }

        /** A POST without a body as the operator, which must be answered 200. */
        public void post(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("POST " + path + " on " + log.getFileName() + ": " + r.body()).isEqualTo(200);
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", OperatorLogin.basic(OperatorLogin.USER, operatorPassword));
        }

        /** Polls the status until {@code until} holds; fails at once if the JVM dies, or after {@code timeout}. */
        public JsonNode awaitStatus(Duration timeout, Predicate<JsonNode> until, String what) throws InterruptedException {
            JsonNode[] last = new JsonNode[1];
            await(timeout, () -> {
                last[0] = status();
                return last[0] != null && until.test(last[0]);
            }, what);
            return last[0];
        }

        /** Polls {@code until} while the JVM runs; fails at once if it dies, or after {@code timeout}. */
        public void await(Duration timeout, Condition until, String what) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as(log.getFileName() + ": JVM alive while waiting for " + what + "; log:\n" + tail()).isTrue();
                if (until.holds()) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no " + what + " within " + timeout + "; log:\n" + tail());
        }

        /** SIGKILL: no shutdown hooks, no flush. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM: a graceful stop (databases closed, so their files can be opened); SIGKILL after a minute. */
        public void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }

        /** Waits for the JVM to exit by itself; kills it if it does not within {@code timeout}. */
        public boolean awaitExit(Duration timeout) throws InterruptedException {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                kill();
            }
            return exited;
        }
    }
}
