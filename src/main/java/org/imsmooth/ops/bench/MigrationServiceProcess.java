package org.imsmooth.ops.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.ImMigrationApplication;

/**
 * One migration service under measurement: {@code java -jar} of this very jar as a child JVM, with
 * all its state (old-system demo, id map, broker journal, sandbox) in its own temp directory and
 * its HTTP API on a random free port. The benchmark talks to it over HTTP only.
 */
final class MigrationServiceProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR_USER = "bench";

    private final Path dir;
    private final Path log;
    private final int port;
    private final Process process;
    private final boolean keep;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String operatorAuthorization;

    private MigrationServiceProcess(Path dir, String logName, int port, Process process, boolean keep, String operatorPassword) {
        this.operatorAuthorization = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (OPERATOR_USER + ":" + operatorPassword).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        this.dir = dir;
        this.log = dir.resolve(logName);
        this.port = port;
        this.process = process;
        this.keep = keep;
    }

    /**
     * @param name     run name (temp directory prefix)
     * @param xmx      child heap, e.g. "512m"
     * @param routes   the routes/ folder to load (with old-system/mapping.yml)
     * @param settings extra {@code --key=value} settings
     */
    static MigrationServiceProcess start(String name, String xmx, Path routes, List<String> settings, boolean keep) throws IOException {
        return launch(Files.createTempDirectory("im-bench-" + name + "-"), xmx, routes, settings, keep, java.util.Map.of());
    }

    /** As {@link #start}, with secrets (e.g. {@code BROKER_PASSWORD}) passed in the environment, never on the command line. */
    static MigrationServiceProcess start(String name, String xmx, Path routes, List<String> settings, boolean keep,
                                         java.util.Map<String, String> environment) throws IOException {
        return launch(Files.createTempDirectory("im-bench-" + name + "-"), xmx, routes, settings, keep, environment);
    }

    /** Starts the service again on a directory an earlier start left behind (its data is reused). */
    static MigrationServiceProcess reuse(Path dir, BenchmarkOptions options, List<String> settings) throws IOException {
        return launch(dir, options.xmx(), options.routes(), settings, options.keep(), java.util.Map.of());
    }

    /** As {@link #reuse(Path, BenchmarkOptions, List)}, with secrets in the environment. */
    static MigrationServiceProcess reuse(Path dir, BenchmarkOptions options, List<String> settings,
                                         java.util.Map<String, String> environment) throws IOException {
        return launch(dir, options.xmx(), options.routes(), settings, options.keep(), environment);
    }

    /** The heap: its maximum, and (README "JVM settings") the same initial size. */
    static List<String> heap(String xmx) {
        return List.of("-Xms" + xmx, "-Xmx" + xmx);
    }

    private static MigrationServiceProcess launch(Path dir, String xmx, Path routes, List<String> settings, boolean keep,
                                                  java.util.Map<String, String> environment) throws IOException {
        int port = freePort();
        String data = dir.toAbsolutePath().toString();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(heap(xmx));
        // README "JVM settings": the benchmark measures the service as documented
        command.addAll(DocumentedJvmOptions.OPTIONS);
        // e.g. a flight recording of the measured run (README "Benchmarks")
        String extra = System.getenv("BENCH_CHILD_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(launchTarget());
        // a setting the caller gives (e.g. its own old system) replaces the default of the same key:
        // Spring joins a key given twice on the command line with a comma
        java.util.Set<String> given = settings.stream().filter(a -> a.contains("=")).map(a -> a.substring(0, a.indexOf('=')))
                .collect(java.util.stream.Collectors.toSet());
        command.addAll(List.of(
                "--server.port=" + port,
                // the state database exactly as application.yml sets it (WRITE_DELAY=0: no committed row lost to a kill);
                // the sandbox stands for IM, whose own durability is not the service's cost
                "--spring.datasource.url=jdbc:h2:file:" + data + "/state;AUTO_SERVER=TRUE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64",
                "--oldsystem.datasource.url=jdbc:h2:file:" + data + "/oldsystem",
                // a database of the benchmark's own (empty, then the demo's): the demo may write only when asked
                "--oldsystem.demo.enabled=true",
                "--sandbox.state-url=jdbc:h2:file:" + data + "/sandbox",
                "--spring.artemis.embedded.data-directory=" + data + "/artemis",
                "--camel.main.routes-include-pattern=file:" + routes.toAbsolutePath() + "/*.yaml",
                "--spring.config.import=optional:file:" + routes.toAbsolutePath().resolve("old-system/mapping.yml"),
                "--migration.report-file=" + data + "/report.json",
                "--migration.start-delay-ms=500",
                "--migration.progress-interval=30s",
                "--sandbox.roaming-days=3650",
                "--migration.reconcile.roaming-days=3650",
                "--oldsystem.demo.invalid-records=false").stream()
                .filter(a -> !given.contains(a.substring(0, a.indexOf('=')))).toList());
        command.addAll(settings);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()));
        // a fresh operator credential per child, passed like production does: in the environment
        String operatorPassword = java.util.UUID.randomUUID().toString();
        builder.environment().put("OPS_USER", OPERATOR_USER);
        builder.environment().put("OPS_PASSWORD", operatorPassword);
        builder.environment().putAll(environment);
        return new MigrationServiceProcess(dir, "service.log", port, builder.start(), keep, operatorPassword);
    }

    /**
     * The IM sandbox as its own JVM ({@code im-migration.jar sandbox}), on {@code dir}'s sandbox database,
     * with the documented JVM options: the service then reaches it over HTTP like Tencent IM, and IM's own
     * work (its history store, its web server) is not in the measured service's heap and collections.
     * Closed with the service's directory left to the service (it deletes it).
     */
    static MigrationServiceProcess startSandbox(Path dir, String xmx, List<String> sandboxSettings) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(heap(xmx));
        command.addAll(DocumentedJvmOptions.OPTIONS);
        command.addAll(launchTarget());
        command.add("sandbox");
        command.addAll(List.of(
                "--server.port=" + port,
                "--sandbox.state-url=jdbc:h2:file:" + dir.toAbsolutePath() + "/sandbox",
                "--sandbox.roaming-days=3650"));
        command.addAll(sandboxSettings);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sandbox.log").toFile()));
        return new MigrationServiceProcess(dir, "sandbox.log", port, builder.start(), true, "unused");
    }

    /** Waits until the sandbox answers its stats; fails with its log tail if it dies first. */
    void awaitSandboxUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ensureAlive();
            if (get("/sandbox/admin/stats") != null) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("sandbox did not come up in " + timeout + "; log tail:\n" + logTail());
    }

    /** {@code -jar <this jar>} when running from the packaged jar, else the class path and main class. */
    static List<String> launchTarget() {
        Path jar = ownJar();
        if (jar != null) {
            return List.of("-jar", jar.toString());
        }
        return List.of("-cp", System.getProperty("java.class.path"), ImMigrationApplication.class.getName());
    }

    /** The jar this code runs from, from its code source (a Boot jar says jar:nested:/x.jar/!BOOT-INF/...). */
    static Path ownJar() {
        try {
            String location = ImMigrationApplication.class.getProtectionDomain().getCodeSource().getLocation().toString();
            int end = location.indexOf(".jar");
            if (end >= 0) {
                String path = location.substring(0, end + 4).replaceFirst("^(jar:)?(nested:|file:)?", "");
                Path jar = Path.of(new URI("file", null, path.startsWith("/") ? path : "/" + path, null).getPath());
                return Files.isRegularFile(jar) ? jar : null;
            }
        } catch (URISyntaxException | RuntimeException unknown) {
            // fall back to the class path
        }
        String classPath = System.getProperty("java.class.path", "");
        return classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator) ? Path.of(classPath) : null;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the process used so far (user + system), in nanoseconds; -1 when the OS does not say. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** GET a JSON document from the service; null when it does not answer (yet) or answers non-200. */
    JsonNode get(String path) {
        String body = getText(path);
        try {
            return body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** POSTs a JSON body as the operator; the answer's JSON, or null when it is not 200. */
    JsonNode post(String path, String json) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", operatorAuthorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The body of a GET answered 200, or null. */
    String getText(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", operatorAuthorization)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until the status API answers; fails with the log tail if the child dies first. */
    void awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ensureAlive();
            if (get("/api/migration/status") != null) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("service did not come up in " + timeout + "; log tail:\n" + logTail());
    }

    void ensureAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("service exited with " + process.exitValue() + "; log tail:\n" + logTail());
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    Path directory() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (!keep) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
