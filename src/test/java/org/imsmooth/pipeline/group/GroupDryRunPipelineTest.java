package org.imsmooth.pipeline.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.pipeline.PipelineTestSupport;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A dry run of every group stage validates each record and dead-letters the invalid ones, but calls
 * nothing in IM and writes no id map row but "validated" ones; validated records count as imported.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "migration.dry-run=true",
        "oldsystem.demo.users=20",
        "oldsystem.demo.friends-per-user=1",
        "oldsystem.demo.messages=5",
        "oldsystem.demo.groups=4",
        "oldsystem.demo.members-per-group=3",
        "oldsystem.demo.group-messages=20"})
class GroupDryRunPipelineTest extends PipelineTestSupport {

    @Autowired ImGroupReads reads;
    @Autowired StageProgress progress;
    @Autowired JdbcTemplate state;

    @Test
    void validatesEverythingAndCallsNothing() {
        oldSystem().update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) "
                + "VALUES (901, 'Live show', 'live', 1, CURRENT_TIMESTAMP - INTERVAL '1' DAY)");
        oldSystem().update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) "
                + "VALUES (9001, 1, 1, 'text', ' ', CURRENT_TIMESTAMP - INTERVAL '1' HOUR)");
        long groups = oldCount("SELECT COUNT(*) FROM chat_groups");
        long members = oldCount("SELECT COUNT(*) FROM group_members");
        long messages = oldCount("SELECT COUNT(*) FROM group_messages");
        long unread = oldCount("SELECT COUNT(*) FROM group_members WHERE unread_count > 0");

        dryRun("accounts", 20);
        dryRun("groups", groups);
        dryRun("group-members", members);
        dryRun("group-messages", messages);
        dryRun("group-unread", unread);

        assertThat(progress.of("groups").orElseThrow().deadLettered()).isEqualTo(1);
        assertThat(progress.of("groups").orElseThrow().imported()).isEqualTo(groups - 1);
        assertThat(progress.of("group-members").orElseThrow().imported()).isEqualTo(members);
        assertThat(progress.of("group-messages").orElseThrow().imported()).isEqualTo(messages - 1);
        assertThat(progress.of("group-unread").orElseThrow().imported()).isEqualTo(unread);
        Map<String, String> groupReasons = GroupStagesPipelineTest.reasons(drainDeadLetters("groups"));
        assertThat(groupReasons).containsOnlyKeys("901");
        assertThat(GroupStagesPipelineTest.reasons(drainDeadLetters("group-messages")).get("9001")).contains("empty");

        // nothing reached IM; the id map holds only what the dry run validated (accounts, groups, memberships),
        // which a real run neither skips nor counts
        assertThat(state.queryForObject("SELECT COUNT(*) FROM id_map WHERE state <> 'validated'", Long.class)).isZero();
        assertThat(state.queryForObject("SELECT COUNT(*) FROM id_map WHERE kind = 'groups'", Long.class)).isEqualTo(groups - 1);
        List<GroupInfo> inIm = reads.getGroupInfo(GetGroupInfoRequest.of(List.of("g1", "g2", "g3", "g4"))).groupInfo();
        assertThat(inIm).hasSize(4).allSatisfy(g -> assertThat(g.errorCode()).isEqualTo(10010));
    }

    private void dryRun(String stage, long rows) {
        producer.sendBody("direct:import-" + stage, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> progress.of(stage)
                .map(c -> c.imported() + c.deadLettered() >= rows).orElse(false));
    }
}
