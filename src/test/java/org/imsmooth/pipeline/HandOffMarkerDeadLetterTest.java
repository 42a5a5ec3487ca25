package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A hand-off marker whose conversations header cannot be read, put on a real work queue: the worker
 * route sends it to the queue's DLQ at once, with the reason, the stage and the marker's conversation as
 * source id, and its headers kept; nothing is handed off. The same marker with its header mended and
 * sent again hands its conversations off.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=4", "oldsystem.demo.messages=4", "oldsystem.demo.groups=1", "oldsystem.demo.group-messages=4"})
class HandOffMarkerDeadLetterTest extends PipelineTestSupport {

    private static final String STAGE = "group-messages";
    private static final String WORK_QUEUE = "jms:queue:im.import." + STAGE;

    @Autowired JdbcTemplate state;

    @Test
    void anUnreadableMarkerGoesToTheDlqWithItsReasonAndAMendedOneHandsOff() {
        String unreadable = "[\"g-1\",";
        producer.sendBodyAndHeaders(WORK_QUEUE, "", Map.of("JMSXGroupID", "lane-7",
                HandOffMarkers.MARKER, "g-1", HandOffMarkers.CONVERSATIONS, unreadable));

        Exchange dead = consumer.receive(WORK_QUEUE + ".DLQ", 30_000);
        assertThat(dead).as("the marker in the DLQ").isNotNull();
        Map<String, Object> headers = dead.getMessage().getHeaders();
        assertThat((String) headers.get(DeadLetterHeaders.REASON)).contains(HandOffMarkers.CONVERSATIONS).contains("g-1")
                .contains("not a JSON array");
        assertThat(headers.get(DeadLetterHeaders.SOURCE_ID)).isEqualTo("g-1");
        assertThat(headers.get(DeadLetterHeaders.SOURCE_KIND)).isEqualTo(STAGE);
        assertThat(headers.get(DeadLetterHeaders.EXCEPTION)).isEqualTo("org.imsmooth.canonical.RejectedRecordException");
        assertThat(headers.get(HandOffMarkers.MARKER)).as("marker header kept").isEqualTo("g-1");
        assertThat(headers.get(HandOffMarkers.CONVERSATIONS)).as("the unreadable header kept as it was").isEqualTo(unreadable);
        assertThat(handedOff()).as("nothing handed off").isEmpty();
        assertThat(consumer.receive(WORK_QUEUE + ".DLQ", 500)).as("dead-lettered once").isNull();

        // mended (as an operator would in Hawtio) and sent again: its conversations are handed off
        producer.sendBodyAndHeaders(WORK_QUEUE, "", Map.of("JMSXGroupID", "lane-7",
                HandOffMarkers.MARKER, "g-1", HandOffMarkers.CONVERSATIONS, "[\"g-1\",\"g-2\"]"));
        await().atMost(Duration.ofSeconds(30)).until(() -> handedOff().size() == 2);
        assertThat(handedOff()).containsExactly("g-1", "g-2");
    }

    private List<String> handedOff() {
        return state.queryForList("SELECT conversation FROM import_hand_off WHERE stage = ? ORDER BY conversation", String.class, STAGE);
    }
}
