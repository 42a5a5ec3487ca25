package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Log capture on samples/postgresql, the service as a JVM of its own: a burst of rows into one 1:1
 * conversation and one group, the service killed with SIGKILL while IM has some of them but not all
 * (changes captured but unsent, in the broker's journal, sends in flight, offsets not yet stored), more
 * rows while it is down, then started again: every row is in IM (the sandbox's store) exactly once, in
 * insert order per conversation, and nothing is dead-lettered.
 */
class PostgresLogCaptureKillTest {

    private static final int C2C = 300;
    private static final int GROUP = 60;
    /** Rows written while the service is down, per conversation. */
    private static final int WHILE_DOWN = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String schema = "cdc_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String stateSchema = schema + "_state";
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    /** Kept under target/ so the two runs' logs and the sandbox's store can be inspected after a failure. */
    private final Path dir = Path.of("target", "log-capture-kill").toAbsolutePath();
    private ServiceJvm.Run running;
    /** IM: a JVM of its own, as in production, so a kill of the service leaves it (and its send dedup window) running. */
    private ServiceJvm.Run sandbox;

    @AfterEach
    void cleanUp() throws Exception {
        if (running != null) {
            running.kill();
        }
        if (sandbox != null) {
            sandbox.kill();
        }
        RealDatabaseMigrationSupport.dropPostgresLogCapture(schema);
        RealDatabaseMigrationSupport.dropPostgresSchemas(schema, stateSchema);
    }

    @Test
    void killMinus9MidBurstLosesAndDuplicatesNothing() throws Exception {
        RealDatabaseMigrationSupport.createPostgresSample(schema, stateSchema);
        ServiceJvm.emptyDir(dir);
        // every IM call takes a while, so the kill lands with the burst part sent
        sandbox = ServiceJvm.startSandbox(dir, List.of("--sandbox.faults.latency-ms=20"));

        running = start("run-first.log");
        running.awaitStatus(Duration.ofMinutes(4), s -> s.path("finished").asBoolean(), "the sample's import finished");
        awaitSlotStreaming();
        long direct;
        long group;
        long alice;
        long bob;
        long member;
        try (Connection old = old()) {
            direct = single(old, "SELECT MIN(id) FROM conversation WHERE kind = 'direct'");
            alice = single(old, "SELECT MIN(user_id) FROM conversation_member WHERE conversation_id = " + direct);
            bob = single(old, "SELECT MAX(user_id) FROM conversation_member WHERE conversation_id = " + direct);
            group = single(old, "SELECT MIN(id) FROM conversation WHERE kind = 'group' AND archived_at IS NULL");
            member = single(old, "SELECT MIN(user_id) FROM conversation_member WHERE conversation_id = " + group);
        }

        // the burst: one commit per row, a group row after every fifth 1:1 row, as fast as PostgreSQL takes them
        long sendsBefore = sandboxCalls("sendmsg");
        assertThat(sendsBefore).as("sandbox answering").isNotNegative();
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            try (Connection old = old()) {
                for (int i = 0; i < C2C; i++) {
                    insert(old, direct, i % 2 == 0 ? alice : bob, "c2c " + tag + " " + i);
                    if (i % 5 == 4) {
                        insert(old, group, member, "group " + tag + " " + i / 5);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // kill once IM has some of the burst: each send takes the sandbox's injected latency, one at a time
        // per conversation, so the 1:1 burst takes seconds to drain
        running.await(Duration.ofMinutes(2), () -> sandboxCalls("sendmsg") >= sendsBefore + 20, "20 of the burst sent");
        running.kill();
        running = null;
        burst.get();
        long sentAtKill = sandboxCalls("sendmsg") - sendsBefore;
        System.out.printf("[log-capture-kill] killed after %d sendmsg calls for the %d 1:1 rows%n", sentAtKill, C2C);
        assertThat(sentAtKill).as("1:1 rows sent to IM at the kill: some, not all").isBetween(20L, C2C - 1L);

        // rows the app writes while the service is down: capture resumes from its stored offset
        long lastC2c = 0;
        long lastGroup = 0;
        try (Connection old = old()) {
            for (int i = 0; i < WHILE_DOWN; i++) {
                lastC2c = insert(old, direct, i % 2 == 0 ? bob : alice, "c2c " + tag + " " + (C2C + i));
                lastGroup = insert(old, group, member, "group " + tag + " " + (GROUP + i));
            }
        }
        int c2cTotal = C2C + WHILE_DOWN;
        int groupTotal = GROUP + WHILE_DOWN;

        running = start("run-second.log");
        // each conversation's last row is the last in the log and in its conversation's queue, sent after every
        // other (replays of rows read again from the stored offset included): once IM acknowledged both, the burst is through
        long c2cMarker = lastC2c;
        long groupMarker = lastGroup;
        running.await(Duration.ofMinutes(3), () -> recorded("c2c_message", c2cMarker) && recorded("group_message", groupMarker),
                "the last row of each conversation acknowledged by IM");
        JsonNode status = running.awaitStatus(Duration.ofMinutes(1), s -> true, "the status");
        running.stop();
        running = null;
        sandbox.stop(); // graceful: its store is closed and can be read
        sandbox = null;

        List<Integer> c2c = texts("SELECT body FROM sb_c2c_msg ORDER BY id", "c2c");
        List<Integer> groupMessages = texts("SELECT body FROM sb_group_msg ORDER BY msg_seq", "group");
        assertThat(c2c).as("1:1 rows in IM: each once, in insert order").isEqualTo(sequence(c2cTotal));
        assertThat(groupMessages).as("group rows in IM: each once, in insert order").isEqualTo(sequence(groupTotal));
        // the sample's import dead-letters a record of its own on purpose: the sync queues' DLQs are the burst's
        List<String> syncDlqs = new ArrayList<>();
        for (JsonNode dlq : status.path("deadLetterQueues")) {
            if (dlq.path("queue").asText().startsWith("im.sync.")) {
                syncDlqs.add(dlq.path("queue").asText());
                assertThat(dlq.path("depth").asLong()).as(dlq.path("queue").asText()).isZero();
            }
        }
        assertThat(syncDlqs).contains("im.sync.old-to-im.DLQ");
        try (Connection state = DriverManager.getConnection(RealDatabaseMigrationSupport.inPostgresSchema(stateSchema), "postgres", "")) {
            assertThat(single(state, "SELECT COUNT(*) FROM id_map WHERE kind IN ('c2c_message', 'group_message') AND origin = 'old'"
                    + " AND state <> 'done'")).as("live changes dead-lettered").isZero();
        }
        // every message IM holds has its id map record: it is written before the change's queue message
        // is acknowledged (SentChanges.sent), so a kill between IM's ack and the record resends the change,
        // which IM drops as the same message (same Random) and the record is written then
        try (Connection old = old()) {
            assertThat(single(old, "SELECT COUNT(*) FROM message m WHERE m.content->>'text' LIKE '% " + tag + " %' AND NOT EXISTS (SELECT 1 FROM "
                    + stateSchema + ".id_map i WHERE i.kind IN ('c2c_message', 'group_message') AND i.old_id = CAST(m.id AS TEXT))"))
                    .as("rows of the burst in IM without an id map record").isZero();
        }
    }

    private ServiceJvm.Run start(String log) throws IOException {
        Path project = Path.of("").toAbsolutePath();
        String postgres = RealDatabaseMigrationSupport.inPostgresSchema("");
        List<String> settings = new ArrayList<>(ServiceJvm.serviceUnder(dir));
        settings.addAll(ServiceJvm.imAt(sandbox, "log-capture-kill-" + tag));
        settings.addAll(List.of(
                "--OLD_SYSTEM_MAPPING=" + project.resolve("samples/postgresql/mapping.yml"),
                "--OLD_SYSTEM_SYNC_WRITES=" + project.resolve("samples/postgresql/sync-writes.yml"),
                "--oldsystem.demo.enabled=false",
                "--oldsystem.datasource.url=" + postgres + schema,
                "--oldsystem.datasource.username=postgres",
                "--oldsystem.datasource.password=",
                "--spring.datasource.url=" + postgres + stateSchema,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--log-capture.enabled=true",
                "--log-capture.name=" + schema,
                "--migration.start-delay-ms=200"));
        return ServiceJvm.start(dir, log, List.of("-Xmx512m"), settings);
    }

    /** The capture's replication slot is active: rows committed from now on are in what it reads. */
    private void awaitSlotStreaming() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Connection old = old()) {
            while (single(old, "SELECT COUNT(*) FROM pg_replication_slots WHERE active AND slot_name = 'imsmooth_" + schema + "'") == 0) {
                assertThat(System.nanoTime()).as("slot streaming within 2 minutes; log:\n" + running.tail()).isLessThan(deadline);
                assertThat(running.process().isAlive()).as("service alive; log:\n" + running.tail()).isTrue();
                Thread.sleep(200);
            }
        }
    }

    private Connection old() throws Exception {
        return DriverManager.getConnection(RealDatabaseMigrationSupport.inPostgresSchema(schema), "postgres", "");
    }

    /** Inserts a text message (its own commit); its id. */
    private static long insert(Connection old, long conversation, long sender, String text) throws Exception {
        try (PreparedStatement insert = old.prepareStatement("INSERT INTO message (conversation_id, sender_id, content_type, content, created_at)"
                + " VALUES (?, ?, 'text', CAST(? AS JSONB), ?) RETURNING id")) {
            insert.setLong(1, conversation);
            insert.setLong(2, sender);
            insert.setString(3, JSON.writeValueAsString(java.util.Map.of("text", text)));
            insert.setTimestamp(4, new Timestamp(System.currentTimeMillis()));
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    /** Whether the id map holds the old system's change {@code oldId} of {@code kind} (IM acknowledged it). */
    private boolean recorded(String kind, long oldId) {
        try (Connection state = DriverManager.getConnection(RealDatabaseMigrationSupport.inPostgresSchema(stateSchema), "postgres", "")) {
            return single(state, "SELECT COUNT(*) FROM id_map WHERE kind = '" + kind + "' AND old_id = '" + oldId + "' AND origin = 'old'") > 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The numbers of this burst's texts ({@code <prefix> <tag> <n>}) in the sandbox's store, in the query's order. */
    private List<Integer> texts(String query, String prefix) throws Exception {
        Pattern text = Pattern.compile(Pattern.quote(prefix + " " + tag + " ") + "(\\d+)");
        List<Integer> out = new ArrayList<>();
        try (Connection im = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("sandbox"), "sa", "");
             ResultSet rs = im.createStatement().executeQuery(query)) {
            while (rs.next()) {
                Matcher m = text.matcher(rs.getString(1));
                if (m.find()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return out;
    }

    private static List<Integer> sequence(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }

    private static long single(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The sandbox's count of calls of an API; -1 while it does not answer. */
    private long sandboxCalls(String command) throws InterruptedException {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sandbox.port() + "/sandbox/admin/stats")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("calls").path(command).asLong(0) : -1;
        } catch (IOException notUp) {
            return -1;
        }
    }
}
