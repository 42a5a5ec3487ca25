package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A dry run of the C2C stages (accounts imported for real earlier, as in a rehearsal before the
 * history import): everything is validated, invalid records are dead-lettered with their reasons,
 * valid ones are counted as imported, but IM is never called and the id map stays untouched.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "migration.dry-run=true",
        "oldsystem.demo.users=6", "oldsystem.demo.messages=60", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "oldsystem.page-size=25"})
class C2cDryRunPipelineTest extends ImportStageTestSupport {

    @Test
    void validatesEverythingCallsNothingWritesNoIdMapRows() throws Exception {
        for (int user = 1; user <= 6; user++) {
            idMap.recordDone("accounts", String.valueOf(user), "u" + user, "old", null, null);
        }
        Timestamp past = Timestamp.from(Instant.now().minus(1, ChronoUnit.DAYS));
        var old = oldSystem();
        old.update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (90001, 1, 9999, 'text', 'to nobody', ?)", past);
        old.update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (90002, 1, 2, 'text', 'later', ?)", Timestamp.from(Instant.now().plus(1, ChronoUnit.HOURS)));
        old.update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (90003, 1, 2, 'video', '{\"seconds\": 3}', ?)", past);
        long marks = oldCount("SELECT COUNT(*) FROM read_receipts");

        producer.sendBody("direct:import-c2c-messages", null);
        awaitProcessed("c2c-messages", 63);
        producer.sendBody("direct:import-c2c-read-marks", null);
        awaitProcessed("c2c-read-marks", marks);

        assertThat(counters("c2c-messages").imported()).isEqualTo(60);
        assertThat(counters("c2c-messages").deadLettered()).isEqualTo(3);
        assertThat(counters("c2c-read-marks").imported()).isEqualTo(marks);
        assertThat(imCalls("importmsg")).isZero();
        assertThat(imCalls("admin_set_msg_read")).isZero();
        for (String stage : new String[] {"c2c-messages", "c2c-read-marks"}) {
            assertThat(idMap.count(stage, IdMap.DONE) + idMap.count(stage, IdMap.REJECTED)).as(stage).isZero();
        }
        Map<String, String> reasons = reasonsBySourceId(drainDeadLetters("c2c-messages"));
        assertThat(reasons).containsOnlyKeys("90001", "90002", "90003");
        assertThat(reasons.get("90001")).contains("unknown receiver");
        assertThat(reasons.get("90002")).contains("in the future");
        assertThat(reasons.get("90003")).contains("has no 'url'");
    }
}
