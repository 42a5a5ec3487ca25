package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.Test;

/**
 * The whole demo migration in a separate JVM, killed with SIGKILL in the middle of the message
 * stages, then started again in one-shot mode: it must resume from its durable state (cursors, id
 * map, broker journal on disk) and end with a reconciliation that balances exactly: nothing lost,
 * nothing imported twice (group history is checked seq by seq). IM's stand-in runs in a JVM of its own
 * that is not killed, as IM does not crash with the service (see ExportFilesKillAndResumeTest).
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

    private final ObjectMapper json = new ObjectMapper();
    private ServiceJvm.Run sandbox;

    @org.junit.jupiter.api.AfterEach
    void stopSandbox() throws InterruptedException {
        if (sandbox != null) {
            sandbox.kill();
        }
    }

    @Test
    void killMinus9MidImportThenResumeBalancesExactly() throws Exception {
        ServiceJvm.emptyDir(dir);
        sandbox = ServiceJvm.startSandbox(dir, List.of("--sandbox.faults.latency-ms=3"));
        ServiceJvm.Run first = start(false);
        try {
            // kill in the middle of the message history: the stages with the most rows
            JsonNode status = first.awaitStatus(Duration.ofMinutes(6), KillAndResumeTest::messagesUnderWay, "progress of the first run");
            assertThat(status.get("finished").asBoolean()).as("killed before the import finished").isFalse();
        } finally {
            first.kill();
        }
        ServiceJvm.Run second = start(true);
        boolean exited = second.awaitExit(Duration.ofMinutes(6));
        String log = Files.readString(second.log());
        assertThat(exited).as("one-shot run finished; log tail:\n" + second.tail()).isTrue();
        assertThat(second.process().exitValue()).as("exit code; log tail:\n" + second.tail()).isZero();

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

    private static boolean messagesUnderWay(JsonNode status) {
        for (JsonNode stage : status.get("stages")) {
            if (stage.get("stage").asText().endsWith("messages") && stage.get("imported").asLong() > 300) {
                return true;
            }
        }
        return false;
    }

    private ServiceJvm.Run start(boolean oneShot) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        List<String> settings = new ArrayList<>(ServiceJvm.serviceUnder(dir));
        settings.addAll(ServiceJvm.imAt(sandbox, "kill-and-resume-test"));
        settings.addAll(List.of(
                ServiceJvm.h2StateUnder(dir),
                "--oldsystem.datasource.url=jdbc:h2:file:" + dir + "/oldsystem",
                "--oldsystem.demo.enabled=true",
                "--spring.config.import=optional:file:" + project.resolve("routes/old-system/mapping.yml"),
                "--migration.start-delay-ms=500",
                // several pages per stage, so the kill also lands between committed cursors
                "--oldsystem.page-size=200",
                "--oldsystem.demo.users=150",
                "--oldsystem.demo.messages=3000",
                "--oldsystem.demo.groups=15",
                "--oldsystem.demo.group-messages=1500",
                "--migration.exit-when-done=" + oneShot));
        settings.addAll(extraArguments());
        return ServiceJvm.start(dir, oneShot ? "run-one-shot.log" : "run-first.log", List.of("-Xmx512m"), settings);
    }
}
