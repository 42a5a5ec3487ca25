package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImAccounts;
import org.imsmooth.im.api.account.AccountCheckItem;
import org.imsmooth.im.api.account.AccountCheckRequest;
import org.imsmooth.im.api.account.UserIdItem;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The accounts pipeline end to end: demo old system (H2) -> YAML reader route -> Artemis -> YAML
 * worker route -> IM client -> the built-in sandbox, over HTTP. Old ids are usernames here, so two
 * invalid ones (too long, not ASCII) must land in the DLQ with their reasons while the rest import.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=250",
        "ids.user-pattern=%s",
        "oldsystem.page-size=60",
        "oldsystem.queries.accounts.cursor=source_id",
        "oldsystem.queries.accounts.sql=SELECT username AS source_id, nickname AS nick, avatar_url AS face_url FROM users "
                + "WHERE username > :after_source_id ORDER BY username LIMIT :limit",
        "oldsystem.queries.accounts.start.source_id="})
class AccountImportPipelineTest {

    @Autowired ProducerTemplate producer;
    @Autowired org.apache.camel.CamelContext camel;
    @Autowired ConsumerTemplate consumer;
    @Autowired IdMap idMap;
    @Autowired ImAccounts imAccounts;
    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystem;

    @Test
    void importsEveryValidAccountOnceAndDeadLettersTheInvalidOnes() {
        JdbcTemplate old = new JdbcTemplate(oldSystem);
        old.update("INSERT INTO users (id, username, nickname, created_at) VALUES (9001, ?, 'Too Long', CURRENT_TIMESTAMP)",
                "a-username-that-is-far-longer-than-32-bytes");
        old.update("INSERT INTO users (id, username, nickname, created_at) VALUES (9002, ?, 'Not ASCII', CURRENT_TIMESTAMP)",
                "用户九千零二");

        producer.sendBody("direct:import-accounts", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> idMap.count("accounts", IdMap.DONE) == 250
                && idMap.count("accounts", IdMap.REJECTED) == 2);

        List<Exchange> deadLetters = new ArrayList<>();
        for (Exchange e; (e = consumer.receive("jms:queue:im.import.accounts.DLQ", 2000)) != null; ) {
            deadLetters.add(e);
        }
        assertThat(deadLetters).hasSize(2);
        assertThat(deadLetters).extracting(e -> e.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID, String.class))
                .containsExactlyInAnyOrder("a-username-that-is-far-longer-than-32-bytes", "用户九千零二");
        assertThat(deadLetters).extracting(e -> e.getMessage().getHeader(DeadLetterHeaders.REASON, String.class))
                .anySatisfy(r -> assertThat(r).contains("at most 32"))
                .anySatisfy(r -> assertThat(r).contains("printable ASCII"));
        assertThat(deadLetters.get(0).getMessage().getBody(String.class)).startsWith("[{\"sourceId\":");

        // what IM says: every imported account exists, with the nick the old system had
        List<UserIdItem> check = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            check.add(new UserIdItem("user" + i + "@demo.example.com"));
        }
        List<AccountCheckItem> items = imAccounts.accountCheck(new AccountCheckRequest(check)).resultItem();
        assertThat(items).hasSize(100).allSatisfy(item -> assertThat(item.accountStatus()).isEqualTo("Imported"));

        // a second run reads nothing new and imports nothing twice
        producer.sendBody("direct:import-accounts", null);
        assertThat(idMap.count("accounts", IdMap.DONE)).isEqualTo(250);
    }

    @Test
    void theWorkerRouteTellsTheOrchestratorOfEachFinishedMessage() {
        // the import-stage-worker template's routePolicy: a draining stage's end is read as its last messages finish
        assertThat(camel.getRoute("import-accounts").getRoutePolicyList()).hasAtLeastOneElementOfType(WorkerDoneSignal.class);
        assertThat(camel.getRoute("import-accounts-read").getRoutePolicyList()).noneMatch(WorkerDoneSignal.class::isInstance);
    }
}
