package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.support.OperatorLogin;
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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private static final String OPERATOR_PASSWORD = "export-files-kill-" + java.util.UUID.randomUUID();

    @Test
    void killMinus9MidFileThenResumeImportsEveryLineOnce() throws Exception {
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(export);
        long start = System.currentTimeMillis() / 1000 - 86_400;
        writeAccounts(export.resolve("accounts.jsonl"));
        writeMessages(export.resolve("c2c-messages-1.jsonl"), 0, FIRST / 2, start);
        writeMessages(export.resolve("c2c-messages-2.jsonl"), FIRST / 2, FIRST, start);

        Process first = start(ServiceJvm.freePort(), false);
        try {
            long imported = awaitMidStage(first);
            assertThat(imported).as("killed before the 1:1 history was imported").isLessThan(FIRST);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
            first.waitFor(30, TimeUnit.SECONDS);
        }
        // a file that lands while the service is down is read after the restart
        writeMessages(export.resolve("c2c-messages-3.jsonl"), FIRST, FIRST + ADDED, start);

        Process second = start(ServiceJvm.freePort(), true);
        boolean exited = second.waitFor(4, TimeUnit.MINUTES);
        String log = Files.readString(dir.resolve("run-one-shot.log"));
        if (!exited) {
            second.destroyForcibly();
        }
        assertThat(exited).as("one-shot run finished; log tail:\n" + tail(log)).isTrue();
        assertThat(second.exitValue()).as("exit code; log tail:\n" + tail(log)).isZero();
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

        // IM's own store: every line once, none twice
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

    /** Waits until some 1:1 messages are imported and the stage is still reading; returns how many. */
    private long awaitMidStage(Process process) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(process.isAlive()).as("first run alive; log:\n" + tail(Files.readString(dir.resolve("run-first.log")))).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/migration/status"))
                        .header("Authorization", OperatorLogin.basic(OperatorLogin.USER, OPERATOR_PASSWORD))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    for (JsonNode stage : json.readTree(r.body()).get("stages")) {
                        if ("c2c-messages".equals(stage.get("stage").asText()) && stage.get("imported").asLong() > 150) {
                            return stage.get("imported").asLong();
                        }
                    }
                }
            } catch (IOException notUpYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("first run made no progress; log:\n" + tail(Files.readString(dir.resolve("run-first.log"))));
    }

    private int port;

    private Process start(int port, boolean oneShot) throws IOException {
        this.port = port;
        Path project = Path.of("").toAbsolutePath();
        String data = dir.toString();
        List<String> command = new ArrayList<>(List.of(
                ServiceJvm.java(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", ServiceJvm.classpath(), "org.imsmooth.ImMigrationApplication",
                "--server.port=" + port,
                "--OLD_SYSTEM_MAPPING=" + project.resolve("routes/old-system/files.yml"),
                "--OLD_SYSTEM_FILES=" + export,
                "--spring.datasource.url=jdbc:h2:file:" + data + "/state;WRITE_DELAY=0",
                "--sandbox.state-url=jdbc:h2:file:" + data + "/sandbox;WRITE_DELAY=0",
                "--sandbox.roaming-days=3650",
                "--migration.reconcile.roaming-days=3650",
                "--sandbox.faults.latency-ms=5",
                "--spring.artemis.embedded.data-directory=" + data + "/artemis",
                "--camel.main.routes-include-pattern=file:" + project.resolve("routes") + "/*.yaml",
                "--migration.report-file=" + data + "/report.json",
                "--migration.start-delay-ms=200",
                "--oldsystem.files.watch.delay=200ms",
                "--oldsystem.files.watch.stable-age=300ms",
                // several pages per file, so the kill lands between committed cursors inside a file
                "--oldsystem.page-size=100",
                "--migration.exit-when-done=" + oneShot));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(oneShot ? "run-one-shot.log" : "run-first.log").toFile());
        builder.environment().put("OPS_PASSWORD", OPERATOR_PASSWORD);
        return builder.start();
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

    private static String tail(String log) {
        String[] lines = log.split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, lines.length - 60); i < lines.length; i++) {
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }
}
