package org.imsmooth.pipeline.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.pipeline.PipelineTestSupport;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * With {@code migration.truncate-oversized-text=false} a group name over IM's 30 bytes is a rejection:
 * the group goes to the DLQ with the reason and never reaches IM, while the others import.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "migration.truncate-oversized-text=false",
        "oldsystem.demo.users=20",
        "oldsystem.demo.friends-per-user=1",
        "oldsystem.demo.messages=5",
        "oldsystem.demo.groups=6",
        "oldsystem.demo.members-per-group=3",
        "oldsystem.demo.group-messages=6"})
class GroupTruncationOffPipelineTest extends PipelineTestSupport {

    @Autowired ImGroupReads reads;
    @Autowired StageProgress progress;

    @Test
    void oversizedNamesAreRejectedInsteadOfCut() {
        runStage("accounts", 20);
        runStage("groups", 6);

        Map<String, String> reasons = GroupStagesPipelineTest.reasons(drainDeadLetters("groups"));
        assertThat(reasons).containsOnlyKeys("5");
        assertThat(reasons.get("5")).contains("Name is 43 bytes, IM allows 30");
        assertThat(idMap.count("groups", IdMap.DONE)).isEqualTo(5);
        assertThat(progress.of("groups").orElseThrow().truncated()).isZero();

        List<GroupInfo> inIm = reads.getGroupInfo(GetGroupInfoRequest.of(List.of("g4", "g5", "g6"))).groupInfo();
        assertThat(inIm).filteredOn(g -> g.groupId().equals("g5")).singleElement()
                .satisfies(g -> assertThat(g.errorCode()).isEqualTo(10010)); // never created
        assertThat(inIm).filteredOn(g -> !g.groupId().equals("g5"))
                .allSatisfy(g -> assertThat(g.name()).startsWith("Group "));
    }
}
