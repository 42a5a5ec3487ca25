package org.imsmooth.pipeline.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.pipeline.OneShotExit;
import org.imsmooth.support.OperatorApi;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 16, the verdict: every end-to-end test asserted BALANCED, and nothing would have noticed a
 * reconciler that always says so. After the demo import balances (exit code 0), the id map is made to
 * lie in three ways, each of which must make the verdict NOT BALANCED with one-shot exit code 1 and the
 * difference listed: an acknowledged account IM does not have (the read-back-failure branch), a message
 * with no outcome (missing), and a record dead-lettered for a reason that is not invalid data. A stage
 * that is not done is not balanced either, and a reconciliation that cannot be built exits 2.
 * Issue 19: the status page shows the reconciliation's progress, and a sampled read-back says so.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "oldsystem.demo.users=30", "oldsystem.demo.messages=120", "oldsystem.demo.groups=3", "oldsystem.demo.group-messages=60",
        "oldsystem.demo.friends-per-user=2", "oldsystem.demo.members-per-group=5",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class VerdictTest {

    @Autowired ReconciliationOnFinish reconciliation;
    @Autowired Reconciler reconciler;
    @Autowired StageProgress progress;
    @Autowired IdMap idMap;
    @Autowired org.imsmooth.pipeline.ImportMode mode;
    @Autowired JdbcTemplate state;
    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired org.imsmooth.pipeline.MigrationProperties plan;
    @Autowired org.imsmooth.oldsystem.KeysetPageReader oldSystem;
    @Autowired UserReadBack users;
    @Autowired C2cReadBack c2c;
    @Autowired GroupReadBack groups;
    @Autowired ReadBackPool pool;
    @Autowired ReconciliationProgress reconciliationProgress;
    @LocalServerPort int port;
    @TempDir Path dir;

    private final List<Integer> exits = new CopyOnWriteArrayList<>();

    private ReconciliationOnFinish oneShotRun() {
        return new ReconciliationOnFinish(reconciler, new OneShotExit(true, null, exits::add), mode, dir.resolve("report.json").toString());
    }

    @Test
    @Order(10)
    void theDemoBalancesAndOneShotExitsZero() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);
        assertThat(reconciliation.lastReport().differences()).isEmpty();
        assertThat(reconciliation.lastReport().balanced()).isTrue();

        oneShotRun().importFinished(progress.all());
        assertThat(exits).containsExactly(OneShotExit.BALANCED);
    }

    @Test
    @Order(11)
    void theStatusPageShowsTheReconciliationsProgress() throws Exception {
        JsonNode r = new OperatorApi(port).get("/api/migration/status").get("reconciliation");
        assertThat(r.get("phase").asText()).isEqualTo("done");
        assertThat(r.get("sample").asText()).isEqualTo("all acknowledged records read back");
        JsonNode accounts = r.get("kinds").get("accounts");
        assertThat(accounts.get("state").asText()).isEqualTo("done");
        assertThat(accounts.get("checked").asLong()).isEqualTo(idMap.count("accounts", IdMap.DONE)).isEqualTo(accounts.get("total").asLong());
        assertThat(r.get("kinds").get("friends").get("checked").asLong()).isEqualTo(idMap.count("friends", IdMap.DONE));
        assertThat(r.get("calls").get("account_check").asLong()).as("30 accounts: one page").isEqualTo(1);
        assertThat(r.get("calls").get("friend_get").asLong()).as("one per user with friends").isPositive();
        assertThat(reconciliation.lastReport().readBackCalls()).containsEntry("account_check", 1L);
    }

    @Test
    @Order(12)
    void aSampleReadsBackNPerKindAndTheReportSaysWhat() throws Exception {
        Reconciler sampled = new Reconciler(plan, oldSystem, idMap, users, c2c, groups, pool, reconciliationProgress, "7", 1000);
        ReconciliationReport report = sampled.run(progress.all());
        assertThat(report.balanced()).isTrue();
        assertThat(report.sample()).isEqualTo("7 acknowledged records per kind read back, spread evenly over the id map");
        ReconciliationReport.KindLine accounts = line(report, "accounts");
        assertThat(accounts.readBackChecked()).isEqualTo(7);
        assertThat(accounts.note()).endsWith("(a sample: 7 of " + accounts.acknowledged() + " acknowledged)");
        assertThat(line(report, "friends").readBackChecked()).isEqualTo(7);
        assertThat(line(report, "group-members").readBackChecked()).isEqualTo(7);
        assertThat(report.readBackCalls().get("friend_get")).as("one user per sampled pair at most").isLessThanOrEqualTo(7);
        JsonNode status = new OperatorApi(port).get("/api/migration/status").get("reconciliation");
        assertThat(status.get("kinds").get("accounts").get("total").asLong()).isEqualTo(7);
        assertThat(status.get("kinds").get("accounts").get("checked").asLong()).isEqualTo(7);
    }

    @Test
    @Order(20)
    void anyLieInTheIdMapIsNotBalancedAndExitsOne(CapturedOutput output) {
        String account = state.queryForObject("SELECT MIN(old_id) FROM id_map WHERE kind = 'accounts' AND state = 'done'", String.class);
        state.update("UPDATE id_map SET im_id = 'ghost-account' WHERE kind = 'accounts' AND old_id = ?", account);
        String message = state.queryForObject("SELECT MIN(old_id) FROM id_map WHERE kind = 'c2c-messages' AND state = 'done'", String.class);
        state.update("DELETE FROM id_map WHERE kind = 'c2c-messages' AND old_id = ?", message);
        String friend = state.queryForObject("SELECT MIN(old_id) FROM id_map WHERE kind = 'friends' AND state = 'done'", String.class);
        idMap.recordFailed("friends", friend, "old", "java.lang.NullPointerException in a worker", null);

        ReconciliationOnFinish run = oneShotRun();
        run.importFinished(progress.all());
        ReconciliationReport report = run.lastReport();

        assertThat(exits).containsExactly(OneShotExit.NOT_BALANCED);
        assertThat(report.balanced()).isFalse();
        assertThat(line(report, "accounts").readBackFailed()).as("read back: IM does not have it").isEqualTo(1);
        assertThat(line(report, "c2c-messages").missing()).isEqualTo(1);
        assertThat(line(report, "friends").failed()).isEqualTo(1);
        List<String> differences = new ArrayList<>();
        report.differences().forEach(d -> differences.add(d.kind() + " " + d.id() + ": " + d.problem()));
        assertThat(differences).anySatisfy(d -> assertThat(d).startsWith("accounts " + account + ": ").contains("ghost-account"));
        assertThat(differences).anySatisfy(d -> assertThat(d).startsWith("c2c-messages ").contains("neither imported nor dead-lettered"));
        assertThat(differences).anySatisfy(d -> assertThat(d).startsWith("friends " + friend + ": ")
                .contains("not as invalid data", "NullPointerException"));
        assertThat(output.getOut()).contains("Reconciliation report (NOT BALANCED)", "ghost-account", "One-shot mode: exiting with 1");
    }

    @Test
    @Order(30)
    void aStageThatIsNotDoneIsNotBalanced() {
        List<StageProgress.Counters> stages = new ArrayList<>(progress.all());
        StageProgress.Counters groups = stages.stream().filter(s -> s.stage().equals("groups")).findFirst().orElseThrow();
        stages.set(stages.indexOf(groups), new StageProgress.Counters("groups", "failed", groups.total(), groups.imported(),
                groups.skipped(), groups.deadLettered(), groups.truncated(), groups.startedAt(), null));
        ReconciliationReport report = reconciler.run(stages);
        assertThat(report.balanced()).isFalse();
        assertThat(report.differences()).anySatisfy(d -> assertThat(d.kind() + " " + d.problem()).isEqualTo("groups the stage ended failed, not done"));
    }

    @Test
    @Order(40)
    void aReconciliationThatCannotBeBuiltExitsTwo() {
        JdbcTemplate old = new JdbcTemplate(oldSystemDataSource);
        old.execute("ALTER TABLE users ALTER COLUMN avatar_url RENAME TO avatar_moved");
        try {
            assertThatThrownBy(() -> oneShotRun().importFinished(progress.all())).hasStackTraceContaining("AVATAR_URL");
            assertThat(exits).containsExactly(OneShotExit.COULD_NOT_FINISH);
        } finally {
            old.execute("ALTER TABLE users ALTER COLUMN avatar_moved RENAME TO avatar_url");
        }
    }

    private static ReconciliationReport.KindLine line(ReconciliationReport report, String kind) {
        return report.kinds().stream().filter(l -> l.kind().equals(kind)).findFirst().orElseThrow();
    }
}
