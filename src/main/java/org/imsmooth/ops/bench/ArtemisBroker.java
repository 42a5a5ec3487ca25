package org.imsmooth.ops.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Artemis node for a benchmark, made with the distribution's own {@code artemis create}
 * (the Maven Central tarball, {@code ARTEMIS_HOME}) in a folder of its own, on a free port of
 * 127.0.0.1, with a fresh password: the broker the service instances share, as in production. Its
 * {@code create} and {@code run} steps also serve the tests' brokers (src/test {@code broker/ArtemisNodes}).
 */
public final class ArtemisBroker implements AutoCloseable {

    static final String USER = "bench";
    /** A small broker JVM: it runs next to the service instances on the same machine. */
    private static final String JAVA_ARGS = "-Xms64m -Xmx512m -XX:+UseParallelGC -XX:TieredStopAtLevel=1 "
            + "-Dlog4j2.disableJmx=true --add-opens java.base/jdk.internal.misc=ALL-UNNAMED";

    private final Path dir;
    private final int port;
    private final String password;
    private final Process process;

    private ArtemisBroker(Path dir, int port, String password, Process process) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.process = process;
    }

    static ArtemisBroker start(Path home, Path dir) throws IOException, InterruptedException {
        Path artemis = home.resolve("bin").resolve("artemis");
        if (!Files.isExecutable(artemis)) {
            throw new IllegalArgumentException("no Artemis distribution at " + home + " (bin/artemis)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String password = UUID.randomUUID().toString();
        Path instance = dir.resolve("broker");
        Files.createDirectories(dir);
        if (!runScript(createCommand(home, instance, "bench", USER, password, port), JAVA_ARGS, dir.resolve("create.log"))) {
            throw new IllegalStateException("artemis create failed; see " + dir.resolve("create.log"));
        }
        Process running = run(instance, JAVA_ARGS, dir.resolve("broker.log"));
        ArtemisBroker broker = new ArtemisBroker(dir, port, password, running);
        broker.awaitActive();
        return broker;
    }

    /**
     * {@code artemis create <instance>} as every node here is made: a named broker on 127.0.0.1:{@code port},
     * login required, core protocol only, no web console; callers add their own options.
     */
    public static List<String> createCommand(Path home, Path instance, String name, String user, String password, int port) {
        return new ArrayList<>(List.of(home.resolve("bin").resolve("artemis").toString(), "create", instance.toString(), "--name", name,
                "--user", user, "--password", password, "--require-login", "--silent", "--host", "127.0.0.1",
                "--default-port", String.valueOf(port), "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                "--no-hornetq-acceptor", "--no-web"));
    }

    /**
     * Runs a command of the distribution (its scripts start a JVM with {@code javaArgs}), output to {@code log};
     * true when it exited with 0 within two minutes (else it is killed).
     */
    public static boolean runScript(List<String> command, String javaArgs, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_ARGS", javaArgs);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            return false;
        }
        return true;
    }

    /** Starts a created instance ({@code bin/artemis run} in its folder) in a JVM with {@code javaArgs}, output to {@code log}. */
    public static Process run(Path instance, String javaArgs, Path log) throws IOException {
        ProcessBuilder running = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .directory(instance.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        running.environment().put("JAVA_ARGS", javaArgs);
        return running.start();
    }

    private void awaitActive() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Path log = dir.resolve("broker.log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("AMQ221007")) { // server is now active
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Artemis node did not start; see " + log);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    String password() {
        return password;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time of the broker's JVM (the script execs java), nanoseconds; -1 when unknown. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
