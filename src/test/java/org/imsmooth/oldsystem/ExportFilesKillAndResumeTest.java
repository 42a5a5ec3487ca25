package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.Test;

/**
 * The service over a JSON Lines export (routes/old-system/files.yml) as a JVM of its own, killed with
 * SIGKILL in the middle of the 1:1 history (pages committed, a file half read, batches on the broker),
 * a third message file dropped into the export while it is down, then started again in one-shot mode:
 * it reads on from its durable (file, line, byte offset) cursor, and every message of the three files
 * is in IM exactly once (the sandbox's store, message by message), with a balanced reconciliation.
 */
class ExportFilesKillAndResumeTest {

    private static final int USERS = 60;
    private static final int FIRST = 1200;
    private static final int ADDED = 400;

    private final Path dir = Path.of("target", "export-files-kill").toAbsolutePath();
    private final Path export = dir.resolve("export");
    private final ObjectMapper json = new ObjectMapper();
    /**
     * IM's stand-in in a JVM of its own, never killed: IM does not crash with the service. (Killed with the
     * service, its H2 store was once reopened holding the in-flight message as an uncommitted row that no
     * one could commit or roll back, and every later import of that message timed out on its lock.)
     */
    private ServiceJvm.Run sandbox;

    @org.junit.jupiter.api.AfterEach
    void stopSandbox() throws InterruptedException {
        if (sandbox != null) {
            sandbox.kill();
        }
    }

    @Test
    void killMinus9MidFileThenResumeImportsEveryLineOnce() throws Exception {
        ServiceJvm.emptyDir(dir);
        Files.createDirectories(export);
        long start = System.currentTimeMillis() / 1000 - 86_400;
        writeAccounts(export.resolve("accounts.jsonl"));
        writeMessages(export.resolve("c2c-messages-1.jsonl"), 0, FIRST / 2, start);
        writeMessages(export.resolve("c2c-messages-2.jsonl"), FIRST / 2, FIRST, start);

        sandbox = ServiceJvm.startSandbox(dir, List.of("--sandbox.faults.latency-ms=5"));

        ServiceJvm.Run first = start(false);
        try {
            long imported = stage(first.awaitStatus(Duration.ofMinutes(2), s -> stage(s).path("imported").asLong() > 150,
                    "1:1 messages imported")).path("imported").asLong();
            assertThat(imported).as("killed before the 1:1 history was imported").isLessThan(FIRST);
        } finally {
            first.kill();
        }
        // a file that lands while the service is down is read after the restart
        writeMessages(export.resolve("c2c-messages-3.jsonl"), FIRST, FIRST + ADDED, start);

        ServiceJvm.Run second = start(true);
        boolean exited = second.awaitExit(Duration.ofMinutes(4));
        String log = Files.readString(second.log());
        assertThat(exited).as("one-shot run finished; log tail:\n" + second.tail()).isTrue();
        assertThat(second.process().exitValue()).as("exit code; log tail:\n" + second.tail()).isZero();
        assertThat(log).contains("Reconciliation report (BALANCED)");

        JsonNode report = json.readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("balanced").asBoolean()).isTrue();
        JsonNode messages = null;
        for (JsonNode kind : report.get("kinds")) {
            assertThat(kind.get("missing").asLong()).as(kind.get("kind").asText() + " missing").isZero();
            if ("c2c-messages".equals(kind.get("kind").asText())) {
                messages = kind;
            }
        }
        assertThat(messages).isNotNull();
        assertThat(messages.get("oldTotal").asLong()).isEqualTo(FIRST + ADDED);
        assertThat(messages.get("acknowledged").asLong()).isEqualTo(FIRST + ADDED);

        // IM's own store: every line once, none twice (read once the sandbox let go of its file)
        sandbox.stop();
        List<String> bodies = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("sandbox"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT body FROM sb_c2c_msg")) {
            while (rs.next()) {
                bodies.add(rs.getString(1));
            }
        }
        Set<String> lines = new HashSet<>();
        for (String body : bodies) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+) of the export").matcher(body);
            assertThat(m.find()).as(body).isTrue();
            lines.add(m.group(1));
        }
        assertThat(bodies).as("messages in IM").hasSize(FIRST + ADDED);
        assertThat(lines).as("distinct export lines in IM").hasSize(FIRST + ADDED);
    }

    /** The 1:1 history's stage in a status (an empty node before it is listed). */
    private static JsonNode stage(JsonNode status) {
        for (JsonNode stage : status.get("stages")) {
            if ("c2c-messages".equals(stage.get("stage").asText())) {
                return stage;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private ServiceJvm.Run start(boolean oneShot) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        List<String> settings = new ArrayList<>(ServiceJvm.serviceUnder(dir));
        settings.addAll(ServiceJvm.imAt(sandbox, "export-files-kill-test"));
        settings.addAll(List.of(
                ServiceJvm.h2StateUnder(dir),
                "--OLD_SYSTEM_MAPPING=" + project.resolve("routes/old-system/files.yml"),
                "--OLD_SYSTEM_FILES=" + export,
                "--migration.start-delay-ms=200",
                "--oldsystem.files.watch.delay=200ms",
                "--oldsystem.files.watch.stable-age=300ms",
                // several pages per file, so the kill lands between committed cursors inside a file
                "--oldsystem.page-size=100",
                "--migration.exit-when-done=" + oneShot));
        return ServiceJvm.start(dir, oneShot ? "run-one-shot.log" : "run-first.log",
                List.of("-Xmx512m"), settings);
    }

    private static void writeAccounts(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int u = 1; u <= USERS; u++) {
            out.append("{\"source_id\":\"u").append(u).append("\",\"nick\":\"User ").append(u).append("\"}\n");
        }
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }

    /** Lines {@code from}..{@code to}-1: 1:1 texts over 30 conversations, one second apart. */
    private static void writeMessages(Path file, int from, int to, long start) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            int a = 1 + i % 30;
            int b = USERS - i % 30;
            out.append("{\"source_id\":\"m").append(i).append("\",\"from_id\":\"u").append(i % 2 == 0 ? a : b)
                    .append("\",\"to_id\":\"u").append(i % 2 == 0 ? b : a).append("\",\"kind\":\"text\",\"body\":\"line ").append(i)
                    .append(" of the export\",\"sent_at\":").append(start + i).append("}\n");
        }
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }
}
