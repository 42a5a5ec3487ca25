package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;

import org.imsmooth.support.FreshStateDatabase;
import java.util.List;

import org.imsmooth.state.GroupCommit;
import org.imsmooth.state.IdMap;
import org.imsmooth.sync.EntityLifecycle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The id map tells the truth (issue 18): what the old -> IM sender skips, and why, depends on who
 * created an entity and whether it still exists; an old id whose group ended is a new entity.
 */
class SentChangesTest {

    private JdbcTemplate jdbc;
    private IdMap idMap;
    private EntityLifecycle lifecycle;
    private SentChanges sent;

    @BeforeEach
    void stateDatabase() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("sent-changes");
        jdbc = new JdbcTemplate(dataSource);
        idMap = new IdMap(jdbc);
        lifecycle = new EntityLifecycle(idMap);
        sent = new SentChanges(idMap, new GroupCommit(jdbc), lifecycle);
    }

    @Test
    void eachSkipHasItsReason() {
        idMap.recordDone("c2c_message", "1", "k1", "old", "u1|u2", null);
        idMap.recordDone("c2c_message", "2", "k2", "im", "u1|u2", null);
        idMap.recordDone("c2c-messages", "3", "k3", "old", "u1|u2", null);
        idMap.recordRejected("c2c_message", "4", "old", "bad body");
        assertThat(sent.skipReason(c2c("1"))).contains("already-sent");
        assertThat(sent.skipReason(c2c("2"))).contains("written-from-im");
        assertThat(sent.skipReason(c2c("3"))).contains("imported");
        assertThat(sent.skipReason(c2c("4"))).as("a dead letter may come back fixed").isEmpty();
        assertThat(sent.skipReason(c2c("5"))).isEmpty();
    }

    @Test
    void aGroupCreationIsSkippedOnlyWhileItsGroupLives() {
        // created in IM (IM's own GroupId), given old id 7 by the IM -> old direction
        assertThat(idMap.reserve("group", "7", "@TGS#abc", "im", "@TGS#abc")).isTrue();
        assertThat(sent.skipReason(groupEvent("e1", "created", "7"))).contains("group-created-in-im");

        lifecycle.groupDisbanded("7");
        assertThat(sent.skipReason(groupEvent("e2", "created", "7"))).as("the old app's next room under the reused id").isEmpty();
        assertThat(sent.skipReason(groupEvent("e3", "dismissed", "7"))).contains("group-disbanded");

        sent.entity("group", "7", "g7", "g7");
        assertThat(idMap.row("group", "7")).get().isEqualTo(new IdMap.Row("g7", "old", IdMap.DONE, IdMap.LIVE));
        assertThat(jdbc.queryForObject("SELECT im_id || ' ' || origin || ' ' || lifecycle FROM id_map_retired WHERE kind = 'group' "
                + "AND old_id = '7'", String.class)).isEqualTo("@TGS#abc im disbanded");
        assertThat(sent.skipReason(groupEvent("e4", "created", "7"))).contains("group-live");
        assertThat(sent.liveGroup("7")).get().extracting(IdMap.Row::imId).isEqualTo("g7");
    }

    @Test
    void anImportedGroupEndsToo() {
        idMap.recordDone("groups", "8", "g8", "old", "g8", null);
        idMap.recordDone("group-members", "8:1", "g8:u1", "old", "g8", null);
        idMap.recordDone("group-members", "81:1", "g81:u1", "old", "g81", null);
        assertThat(sent.skipReason(groupEvent("e1", "created", "8"))).contains("group-live");
        assertThat(lifecycle.groupDisbanded("8")).isTrue();
        assertThat(sent.skipReason(groupEvent("e2", "created", "8"))).isEmpty();
        assertThat(sent.endedGroupImId("8")).contains("g8");
        assertThat(idMap.row("group-members", "8:1")).get().extracting(IdMap.Row::lifecycle).isEqualTo(IdMap.DISBANDED);
        assertThat(idMap.row("group-members", "81:1")).get().extracting(IdMap.Row::lifecycle).as("another group's member").isEqualTo(IdMap.LIVE);
    }

    @Test
    void claimsAndReservationsRespectLiveRows() {
        assertThat(idMap.claim("group", "9", "@TGS#x", "im", "@TGS#x", false)).isEqualTo(IdMap.Claim.NEW);
        assertThat(idMap.claim("group", "9", "@TGS#x", "im", "@TGS#x", false)).isEqualTo(IdMap.Claim.SAME);
        assertThat(idMap.claim("group", "9", "g9", "old", "g9", false)).isEqualTo(IdMap.Claim.TAKEN);
        assertThat(idMap.reserve("group", "9", "@TGS#y", "im", "@TGS#y")).as("a live group's old id is taken").isFalse();
        assertThat(idMap.end("group", "9", IdMap.DISBANDED)).isTrue();
        assertThat(idMap.end("group", "9", IdMap.DISBANDED)).as("ended once").isFalse();
        assertThat(idMap.reserve("group", "9", "@TGS#y", "im", "@TGS#y")).as("a disbanded group's old id is free again").isTrue();
        assertThat(idMap.row("group", "9")).get().isEqualTo(new IdMap.Row("@TGS#y", "im", IdMap.DONE, IdMap.LIVE));

        idMap.recordDone("group_member", "9:1", "g9:u1", "old", "g9", null);
        lifecycle.memberLeft("9", "1");
        assertThat(idMap.row("group_member", "9:1")).get().extracting(IdMap.Row::lifecycle).isEqualTo(IdMap.LEFT);
        sent.entity("group_member", "9:1", "g9:u1", "g9");
        assertThat(idMap.row("group_member", "9:1")).get().extracting(IdMap.Row::lifecycle).as("joined again").isEqualTo(IdMap.LIVE);
    }

    /** The queue writer's batch lookup routes every change to the same conversation as the sender's lookup one by one. */
    @Test
    void aBatchIsRoutedAsEachOfItsChangesAlone() {
        idMap.recordDone("groups", "1", "g1", "old", "g1", null);              // imported, live
        assertThat(idMap.reserve("group", "2", "@TGS#two", "im", "@TGS#two")).isTrue(); // created in IM under IM's id
        idMap.recordDone("groups", "3", "g3", "old", "g3", null);
        lifecycle.groupDisbanded("3");                                            // ended: the rule's id again
        sent.entity("group", "4", "g4-77", "g4-77");                              // a comeback under another id
        ChangeRouting routing = new ChangeRouting(new org.imsmooth.canonical.ImIdRule("u%s", "g%s"), sent);
        List<OldSystemChange> batch = new java.util.ArrayList<>();
        for (String group : List.of("1", "2", "3", "4", "5", "2")) {
            batch.add(groupEvent("e" + batch.size(), "changed", group));
        }
        batch.add(c2c("m1"));
        batch.add(groupEvent("bad", "changed", null));

        List<String> expected = batch.stream().map(routing::conversation).toList();
        assertThat(routing.conversations(batch)).isEqualTo(expected);
        assertThat(expected).startsWith("g1", "@TGS#two", "g3", "g4-77", "g5", "@TGS#two", "u1|u2");
    }

    private static OldSystemChange c2c(String id) {
        return new OldSystemChange("c2c_message", id, 1L, "1", "2", null, null, "text", "hi", null, null, null, null, null, null, null,
                null, null);
    }

    private static OldSystemChange groupEvent(String id, String event, String group) {
        return new OldSystemChange("group_event", id, 1L, null, null, group, "1", null, null, null, event, "Room", null, null, null,
                "public", "1", null);
    }
}
