package org.imsmooth.sync.toold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.imsmooth.ImMigrationApplication;
import org.imsmooth.broker.QueueDepth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Callbacks IM got an OK for survive a restart of the service and its broker: the first run acknowledges
 * them while the old system cannot be reached (nothing is written), then stops with them still queued;
 * the second run, on the same persistent embedded broker journal and state database (a temp dir),
 * writes every one of them, each conversation in order. The embedded broker is the one the service
 * runs by default, so its journal is what must hold the acknowledged events.
 */
class ImToOldBrokerRestartTest {

    static final String TOKEN = "restart-token-3f9a";

    @TempDir Path dir;

    @Test
    void acknowledgedCallbacksSurviveABrokerRestart() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        // started on purpose while the old system is down (README: OLD_SYSTEM_CHECK_AT_START=false)
        try (ConfigurableApplicationContext run1 = start(unreachableOldSystem(), "false", "--oldsystem.check-at-start=false")) {
            CallbackPoster im = new CallbackPoster(port(run1), 1400000000L, TOKEN);
            for (int i = 1; i <= 5; i++) {
                first.add("restart-a-" + i);
                second.add("restart-b-" + i);
                assertThat(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u1", "u2", "restart-a-" + i, i, "a" + i, null))
                        .statusCode()).isEqualTo(200);
                assertThat(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u3", "u2", "restart-b-" + i, i, "b" + i, null))
                        .statusCode()).isEqualTo(200);
            }
            QueueDepth depth = run1.getBean(QueueDepth.class);
            assertThat(depth.of(ImToOldQueue.QUEUE)).as("acknowledged callbacks wait on the broker").isEqualTo(10);
            await().atMost(Duration.ofSeconds(10)).until(() -> run1.getBean(OutageRetry.class).waiting() > 0);
        }

        String oldSystemUrl = "jdbc:h2:file:" + dir.resolve("old") + ";WRITE_DELAY=0";
        try (ConfigurableApplicationContext run2 = start(oldSystemUrl, "true")) {
            JdbcTemplate old = new JdbcTemplate(run2.getBean("oldSystemDataSource", DataSource.class));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() ->
                    assertThat(old.queryForObject("SELECT COUNT(*) FROM messages WHERE im_ref LIKE 'restart-%'", Integer.class))
                            .isEqualTo(10));
            assertThat(old.queryForList("SELECT im_ref FROM messages WHERE im_ref LIKE 'restart-a-%' ORDER BY id", String.class))
                    .containsExactlyElementsOf(first);
            assertThat(old.queryForList("SELECT im_ref FROM messages WHERE im_ref LIKE 'restart-b-%' ORDER BY id", String.class))
                    .containsExactlyElementsOf(second);
            assertThat(run2.getBean(QueueDepth.class).of(ImToOldQueue.QUEUE + ".DLQ")).isZero();
        }
    }

    /** An H2 server URL on a port nobody listens on: every connection attempt is refused. */
    private static String unreachableOldSystem() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/nowhere";
    }

    private ConfigurableApplicationContext start(String oldSystemUrl, String demo, String... more) throws Exception {
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of(more));
        args.addAll(List.of(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("state") + ";WRITE_DELAY=0",
                "--spring.artemis.embedded.persistent=true",
                "--spring.artemis.embedded.data-directory=" + dir.resolve("artemis"),
                "--oldsystem.datasource.url=" + oldSystemUrl,
                "--oldsystem.datasource.hikari.connection-timeout=500",
                "--oldsystem.demo.enabled=" + demo, "--oldsystem.demo.users=4", "--oldsystem.demo.messages=2",
                "--oldsystem.demo.groups=1", "--oldsystem.demo.group-messages=2",
                "--migration.auto-start=false",
                "--im.callback-token=" + TOKEN,
                "--sync.im-to-old.max-backoff=300ms"));
        return new SpringApplicationBuilder(ImMigrationApplication.class).profiles("test").run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
