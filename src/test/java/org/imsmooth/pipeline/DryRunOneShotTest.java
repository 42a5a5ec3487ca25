package org.imsmooth.pipeline;

import org.imsmooth.support.ServiceJvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The dry run as a user runs it, on the demo schema with bad rows of every kind the real run refuses
 * (the demo's invalid records, plus members, history and unread counts of a live group, and a member
 * who is no user): one-shot dry run in its own JVM, then a real one-shot run into the sandbox over the
 * same old database. The dry run must refuse exactly the rows the real run refuses (with the ids it
 * would import known: no "unknown user" for valid users), write one line per refused row and a
 * summary, say "only invalid data" and exit 0.
 */
class DryRunOneShotTest {

    private static final Pattern REFUSED = Pattern.compile("im\\.import\\.([a-z0-9-]+)\\.DLQ: (\\S+) rejected:");

    private final Path dir = Path.of("target", "dry-run-one-shot").toAbsolutePath();

    @Test
    void dryRunRefusesExactlyWhatTheRealRunRefusesAndExitsZero() throws Exception {
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
        badRowsBeforeTheDemo();

        Process dry = start("dry", true);
        assertThat(dry.waitFor(5, TimeUnit.MINUTES)).as("dry run finished; log tail:\n" + tail("dry")).isTrue();
        String dryLog = Files.readString(dir.resolve("dry.log"));
        assertThat(dry.exitValue()).as("dry run exit code; log tail:\n" + tail("dry")).isZero();
        assertThat(dryLog).contains("Dry-run report (BALANCED: only invalid data)");

        Map<String, Set<String>> refusedByDryRun = new TreeMap<>();
        List<String> refusedLines = new ArrayList<>();
        Matcher m = REFUSED.matcher(dryLog);
        while (m.find()) {
            refusedLines.add(m.group(1) + " " + m.group(2));
            refusedByDryRun.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        }
        // one line per refused row: no row is reported twice
        assertThat(refusedLines).doesNotHaveDuplicates();
        // the embedded broker clearing a session that the exiting JVM had no time to close (a loaded machine) is no warning about data
        long warnings = dryLog.lines().filter(l -> l.contains(" WARN ") && !l.contains("AMQ222061") && !l.contains("AMQ222107")).count();
        assertThat(warnings).as("WARN lines besides the refused rows").isLessThanOrEqualTo(refusedLines.size() + 5L);
        // nothing in the id map but the dry run's "validated" rows
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("dry/state"), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM id_map WHERE state <> 'validated'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }

        Process real = start("real", false);
        assertThat(real.waitFor(6, TimeUnit.MINUTES)).as("real run finished; log tail:\n" + tail("real")).isTrue();
        assertThat(Files.readString(dir.resolve("real.log"))).as("real run log tail:\n" + tail("real"))
                .contains("Historical import finished");
        Map<String, Set<String>> refusedByRealRun = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("real/state"), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, old_id FROM id_map WHERE state = 'rejected' AND origin = 'old'")) {
            while (rs.next()) {
                refusedByRealRun.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
            }
        }
        assertThat(refusedByRealRun).as("the real run refuses the bad rows of every kind")
                .containsKeys("c2c-messages", "groups", "group-members", "group-messages", "group-unread");
        assertThat(refusedByDryRun).isEqualTo(refusedByRealRun);
    }

    /**
     * The old database, created before the demo fills it: a live group's members (one with unread
     * messages) and history, and a member of group 1 who is no user. The demo adds the live group
     * itself (id 6 with five demo groups) and its own invalid messages.
     */
    private void badRowsBeforeTheDemo() throws Exception {
        SingleConnectionDataSource old = new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("oldsystem"), "sa", "", true);
        try {
            new ResourceDatabasePopulator(new ClassPathResource("oldsystem/reference-schema.sql")).execute(old);
            var jdbc = new org.springframework.jdbc.core.JdbcTemplate(old);
            // the demo adds to this database: marked as the demo's own, as the demo marks what it creates
            jdbc.execute("CREATE TABLE imsmooth_demo (note VARCHAR(100))");
            Timestamp joined = Timestamp.from(Instant.now().minus(4, ChronoUnit.DAYS));
            Timestamp sent = Timestamp.from(Instant.now().minus(3, ChronoUnit.HOURS));
            jdbc.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (6, 2, 'member', ?, 2)", joined);
            jdbc.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (6, 3, 'member', ?, 0)", joined);
            jdbc.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (1, 999999, 'member', ?, 1)",
                    joined);
            jdbc.update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (900001, 6, 2, 'text', 'live', ?)",
                    sent);
            jdbc.update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (900002, 6, 3, 'text', 'room', ?)",
                    sent);
        } finally {
            old.destroy();
        }
    }

    private Process start(String name, boolean dryRun) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        String data = dir.resolve(name).toString();
        List<String> command = new ArrayList<>(ServiceJvm.javaCommand(List.of("-Xmx512m")));
        command.addAll(List.of(
                "--server.port=" + ServiceJvm.freePort(),
                "--spring.datasource.url=jdbc:h2:file:" + data + "/state;WRITE_DELAY=0",
                "--oldsystem.datasource.url=jdbc:h2:file:" + dir.resolve("oldsystem"),
                "--sandbox.state-url=jdbc:h2:file:" + data + "/sandbox;WRITE_DELAY=0",
                "--sandbox.roaming-days=3650",
                "--migration.reconcile.roaming-days=3650",
                "--spring.artemis.embedded.data-directory=" + data + "/artemis",
                "--camel.main.routes-include-pattern=file:" + project.resolve("routes") + "/*.yaml",
                "--spring.config.import=optional:file:" + project.resolve("routes/old-system/mapping.yml"),
                "--migration.report-file=" + data + "/report.json",
                "--migration.start-delay-ms=200",
                "--migration.dry-run=" + dryRun,
                "--migration.exit-when-done=true",
                "--oldsystem.demo.enabled=true",
                "--oldsystem.demo.users=40",
                "--oldsystem.demo.friends-per-user=2",
                "--oldsystem.demo.messages=200",
                "--oldsystem.demo.groups=5",
                "--oldsystem.demo.members-per-group=5",
                "--oldsystem.demo.group-messages=100"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("OPS_PASSWORD", "dry-run-" + java.util.UUID.randomUUID());
        return builder.start();
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
