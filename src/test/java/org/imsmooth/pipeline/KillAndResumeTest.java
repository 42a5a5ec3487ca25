package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.support.OperatorLogin;
import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.Test;

/**
 * The whole demo migration in a separate JVM, killed with SIGKILL in the middle of the message
 * stages, then started again in one-shot mode: it must resume from its durable state (cursors, id
 * map, broker journal, sandbox state all on disk) and end with a reconciliation that balances
 * exactly: nothing lost, nothing imported twice (group history is checked seq by seq).
 */
class KillAndResumeTest {

    /** Kept under target/ so the two runs' logs and databases can be inspected after a failure. */
    private final Path dir = Path.of("target", runName()).toAbsolutePath();

    /** The folder under target/ of this test's runs. */
    protected String runName() {
        return "kill-and-resume";
    }

    /** Settings of both runs beyond the common ones (a variant's mapping). */
    protected List<String> extraArguments() throws IOException {
        return List.of();
    }
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private static final String OPERATOR_PASSWORD = "kill-and-resume-" + java.util.UUID.randomUUID();

    @Test
    void killMinus9MidImportThenResumeBalancesExactly() throws Exception {
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
        int port = ServiceJvm.freePort();
        Process first = start(port, false);
        try {
            JsonNode status = awaitProgress(port, first);
            assertThat(status.get("finished").asBoolean()).as("killed before the import finished").isFalse();
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
            first.waitFor(30, TimeUnit.SECONDS);
        }
        Process second = start(ServiceJvm.freePort(), true);
        boolean exited = second.waitFor(6, TimeUnit.MINUTES);
        String log = Files.readString(dir.resolve("run-one-shot.log"));
        assertThat(exited).as("one-shot run finished; log tail:\n" + tail(log)).isTrue();
        assertThat(second.exitValue()).as("exit code; log tail:\n" + tail(log)).isZero();

        JsonNode report = json.readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("balanced").asBoolean()).isTrue();
        for (JsonNode kind : report.get("kinds")) {
            String name = kind.get("kind").asText();
            assertThat(kind.get("missing").asLong()).as(name + " missing").isZero();
            assertThat(kind.get("readBackFailed").asLong()).as(name + " read-back failures").isZero();
            assertThat(kind.get("acknowledged").asLong() + kind.get("deadLettered").asLong())
                    .as(name + " every old row accounted for exactly once").isEqualTo(kind.get("oldTotal").asLong());
        }
        assertThat(log).contains("Reconciliation report (BALANCED)");
    }

    private JsonNode awaitProgress(int port, Process process) throws Exception {
        long deadline = System.currentTimeMillis() + 360_000; // a loaded machine starts the JVM in minutes
        while (System.currentTimeMillis() < deadline) {
            assertThat(process.isAlive()).as("first run alive; log:\n" + tail(Files.readString(dir.resolve("run-first.log")))).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/migration/status"))
                        .header("Authorization", OperatorLogin.basic(OperatorLogin.USER, OPERATOR_PASSWORD))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode status = json.readTree(r.body());
                    for (JsonNode stage : status.get("stages")) {
                        // kill in the middle of the message history: the stages with the most rows
                        if (stage.get("stage").asText().endsWith("messages") && stage.get("imported").asLong() > 300) {
                            return status;
                        }
                    }
                }
            } catch (IOException notUpYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("first run made no progress; log:\n" + tail(Files.readString(dir.resolve("run-first.log"))));
    }

    private Process start(int port, boolean oneShot) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        String data = dir.toAbsolutePath().toString();
        List<String> command = new ArrayList<>(List.of(
                ServiceJvm.java(),
                "-Xmx512m", "-cp", ServiceJvm.classpath(), "org.imsmooth.ImMigrationApplication",
                "--server.port=" + port,
                "--spring.datasource.url=jdbc:h2:file:" + data + "/state;WRITE_DELAY=0",
                "--oldsystem.datasource.url=jdbc:h2:file:" + data + "/oldsystem",
                "--oldsystem.demo.enabled=true",
                "--sandbox.state-url=jdbc:h2:file:" + data + "/sandbox;WRITE_DELAY=0",
                "--sandbox.roaming-days=3650",
                "--migration.reconcile.roaming-days=3650",
                "--sandbox.faults.latency-ms=3",
                "--spring.artemis.embedded.data-directory=" + data + "/artemis",
                "--camel.main.routes-include-pattern=file:" + project.resolve("routes") + "/*.yaml",
                "--spring.config.import=optional:file:" + project.resolve("routes/old-system/mapping.yml"),
                "--migration.report-file=" + data + "/report.json",
                "--migration.start-delay-ms=500",
                // several pages per stage, so the kill also lands between committed cursors
                "--oldsystem.page-size=200",
                "--oldsystem.demo.users=150",
                "--oldsystem.demo.messages=3000",
                "--oldsystem.demo.groups=15",
                "--oldsystem.demo.group-messages=1500",
                "--migration.exit-when-done=" + oneShot));
        command.addAll(extraArguments());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(oneShot ? "run-one-shot.log" : "run-first.log").toFile());
        // as in production: the operator's password comes from the environment
        builder.environment().put("OPS_PASSWORD", OPERATOR_PASSWORD);
        return builder.start();
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, lines.length - 60); i < lines.length; i++) {
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }

}
