package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImFriends;
import org.imsmooth.im.api.TagValue;
import org.imsmooth.im.api.sns.FriendData;
import org.imsmooth.im.api.sns.FriendGetRequest;
import org.imsmooth.im.api.sns.FriendGetResult;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Friends end to end: per-user batches (several per user, grouped by JMSXGroupID while 4 consumers
 * run) -> friend_import, read back with friend_get. Invalid rows are dead-lettered before the call;
 * a friend IM refuses in ResultItem is dead-lettered alone with IM's code; a replay calls nothing.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=12", "oldsystem.demo.friends-per-user=5", "oldsystem.demo.messages=0",
        "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "oldsystem.page-size=16",
        "pipeline.friends.batch-size=3"})
class FriendImportPipelineTest extends ImportStageTestSupport {

    @Autowired ImFriends imFriends;

    @Test
    void importsEveryFriendshipOnceReadableFromImAndDeadLettersTheRest() throws Exception {
        var old = oldSystem();
        Timestamp past = Timestamp.from(Instant.now().minus(3, ChronoUnit.DAYS));
        runStage("accounts", 12);
        long valid = oldCount("SELECT COUNT(*) FROM friendships");
        old.update("INSERT INTO friendships VALUES (1, 9999, NULL, NULL, 'qr', ?)", past);
        old.update("INSERT INTO friendships VALUES (2, 2, NULL, NULL, 'qr', ?)", past);
        old.update("DELETE FROM friendships WHERE user_id = 3 AND friend_id = 4");
        old.update("INSERT INTO friendships VALUES (3, 4, NULL, NULL, 'qr', ?)", Timestamp.from(Instant.now().plus(1, ChronoUnit.DAYS)));
        valid = oldCount("SELECT COUNT(*) FROM friendships WHERE user_id <> friend_id AND friend_id <= 12 AND created_at < CURRENT_TIMESTAMP");
        // the id map says 7777 was imported, but IM does not know it: friend_import fails that one item
        idMap.recordDone("accounts", "7777", "u7777", "old", null, null);
        old.update("INSERT INTO friendships VALUES (5, 7777, 'Ghost', 'Work', 'search', ?)", past);

        producer.sendBody("direct:import-friends", null);
        awaitAccounted("friends", valid + 4);

        assertThat(idMap.count("friends", IdMap.DONE)).isEqualTo(valid);
        List<Exchange> deadLetters = drainDeadLetters("friends");
        Map<String, String> reasons = reasonsBySourceId(deadLetters);
        assertThat(reasons).containsOnlyKeys("1:9999", "2:2", "3:4", "5:7777");
        assertThat(reasons.get("1:9999")).contains("unknown friend");
        assertThat(reasons.get("2:2")).contains("own friend");
        assertThat(reasons.get("3:4")).contains("in the future");
        assertThat(reasons.get("5:7777")).contains("IM refused friend u7777");
        assertThat(deadLetters).filteredOn(e -> "5:7777".equals(e.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID)))
                .singleElement().satisfies(e -> {
                    assertThat(e.getMessage().getHeader(DeadLetterHeaders.ERROR_CODE, Integer.class)).isEqualTo(30003);
                    assertThat(e.getMessage().getBody(String.class)).startsWith("[{\"userId\":\"5\",\"friendId\":\"7777\"");
                });

        // what IM says: each user's friends with remark, group and source as the old system had them
        long calls = imCalls("friend_import");
        for (int user = 1; user <= 12; user++) {
            Map<String, Map<String, Object>> im = friendsInIm("u" + user);
            List<Map<String, Object>> rows = old.queryForList("SELECT friend_id, remark, group_name, source FROM friendships "
                    + "WHERE user_id = ? AND friend_id <> user_id AND friend_id <= 12 AND created_at < CURRENT_TIMESTAMP", user);
            assertThat(im).hasSize(rows.size());
            for (Map<String, Object> row : rows) {
                Map<String, Object> tags = im.get("u" + row.get("FRIEND_ID"));
                assertThat(tags).as("friend %s of %s", row.get("FRIEND_ID"), user).isNotNull();
                assertThat(tags.get("Tag_SNS_IM_Remark")).isEqualTo(row.get("REMARK"));
                assertThat(tags.get("Tag_SNS_IM_Group")).isEqualTo(List.of(row.get("GROUP_NAME")));
                String source = row.get("SOURCE").toString();
                assertThat(tags.get("Tag_SNS_IM_AddSource"))
                        .isEqualTo("AddSource_Type_" + Character.toUpperCase(source.charAt(0)) + source.substring(1));
            }
        }

        // replay after a simulated crash: nothing is imported twice, and nothing dead-lettered is tried or
        // dead-lettered again (it is in the DLQ already; a replay or Hawtio's retry from there processes it again)
        replayFromScratch("friends", valid + 4);
        assertThat(imCalls("friend_import")).isEqualTo(calls);
        assertThat(idMap.count("friends", IdMap.DONE)).isEqualTo(valid);
        assertThat(drainDeadLetters("friends")).isEmpty();
    }

    private Map<String, Map<String, Object>> friendsInIm(String user) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        int start = 0;
        while (true) {
            FriendGetResult page = imFriends.friendGet(FriendGetRequest.page(user, start));
            if (page.userDataItem() != null) {
                for (FriendData f : page.userDataItem()) {
                    Map<String, Object> tags = new HashMap<>();
                    for (TagValue t : f.valueItem()) {
                        tags.put(t.tag(), t.value());
                    }
                    out.put(f.toAccount(), tags);
                }
            }
            if (page.complete()) {
                return out;
            }
            start = page.nextStartIndex();
        }
    }
}
