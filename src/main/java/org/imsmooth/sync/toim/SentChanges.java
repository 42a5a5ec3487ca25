package org.imsmooth.sync.toim;

import java.util.Map;
import java.util.Optional;

import org.imsmooth.state.GroupCommit;
import org.imsmooth.state.IdMap;
import org.imsmooth.sync.EchoRules;
import org.imsmooth.sync.EntityLifecycle;
import org.springframework.stereotype.Component;

/**
 * The id map as the final echo and duplicate check of this direction. A change is not sent again
 * when its (kind, old id) is already there: sent before a crash or a redelivery (kinds
 * c2c_message, group_message, group_event), written into the old system from IM (origin 'im', an
 * echo), or imported by the historical import (which records under its stage names). A group
 * creation is skipped only while the group it names is live; once the group was disbanded (on
 * either side) its old id may come back, and the old app's next room under it is a new group.
 * Every send is recorded with origin 'old'; the writes of changes sent at the same moment share one
 * commit ({@link GroupCommit}: each commit of the embedded state database writes a chunk to its file).
 */
@Component
public class SentChanges {


    static final String ORIGIN = EchoRules.ORIGIN_OLD;
    static final String GROUP = EntityLifecycle.GROUP;
    static final String GROUP_MEMBER = EntityLifecycle.GROUP_MEMBER;
    /** Sync kind -> the import stage that records the same entities. */
    private static final Map<String, String> IMPORT_KINDS = Map.of(
            OldSystemChange.C2C_MESSAGE, "c2c-messages", OldSystemChange.GROUP_MESSAGE, "group-messages", GROUP, EntityLifecycle.IMPORTED_GROUP);

    private final IdMap idMap;
    private final GroupCommit commits;
    private final EntityLifecycle lifecycle;

    public SentChanges(IdMap idMap, GroupCommit commits, EntityLifecycle lifecycle) {
        this.idMap = idMap;
        this.commits = commits;
        this.lifecycle = lifecycle;
    }

    /**
     * Why the change must not be sent, or empty when it must: {@code already-sent} (this service sent it),
     * {@code written-from-im} (the IM -> old writer wrote it: an echo), {@code imported} (the import sent it),
     * {@code group-live} / {@code group-created-in-im} (a creation of a group that exists in IM, made by us or
     * by an App 2.0 user), {@code group-disbanded} (a dismissal of a group already gone).
     */
    public Optional<String> skipReason(OldSystemChange change) {
        String importKind = IMPORT_KINDS.get(change.idKind());
        Map<String, IdMap.Row> rows = importKind == null ? idMap.rows(change.sourceId(), change.idKind())
                : idMap.rows(change.sourceId(), change.idKind(), importKind);
        IdMap.Row own = rows.get(change.idKind());
        if (own != null && IdMap.DONE.equals(own.state())) {
            return Optional.of(EchoRules.ORIGIN_IM.equals(own.origin()) ? "written-from-im" : "already-sent");
        }
        IdMap.Row imported = importKind == null ? null : rows.get(importKind);
        if (imported != null && IdMap.DONE.equals(imported.state())) {
            return Optional.of("imported");
        }
        if (!OldSystemChange.GROUP_EVENT.equals(change.change())) {
            return Optional.empty();
        }
        if ("created".equals(change.event())) {
            Optional<IdMap.Row> group = liveGroup(change.groupId());
            if (group.isPresent()) {
                return Optional.of(EchoRules.ORIGIN_IM.equals(group.get().origin()) ? "group-created-in-im" : "group-live");
            }
        } else if ("dismissed".equals(change.event()) && liveGroup(change.groupId()).isEmpty() && endedGroup(change.groupId())) {
            return Optional.of("group-disbanded");
        }
        return Optional.empty();
    }

    /** The live id map row of an old group id (created live, else imported), if there is one; one query for both. */
    public Optional<IdMap.Row> liveGroup(String oldGroupId) {
        Map<String, IdMap.Row> rows = idMap.rows(oldGroupId, GROUP, IMPORT_KINDS.get(GROUP));
        IdMap.Row created = rows.get(GROUP);
        if (created != null && created.live()) {
            return Optional.of(created);
        }
        return Optional.ofNullable(rows.get(IMPORT_KINDS.get(GROUP))).filter(IdMap.Row::live);
    }

    /** {@link #liveGroup} of many old group ids in one query: old group id -> its live row (ids without one are absent). */
    public Map<String, IdMap.Row> liveGroups(java.util.Collection<String> oldGroupIds) {
        Map<String, Map<String, IdMap.Row>> rows = idMap.rows(oldGroupIds, GROUP, IMPORT_KINDS.get(GROUP));
        Map<String, IdMap.Row> live = new java.util.HashMap<>();
        for (String kind : java.util.List.of(IMPORT_KINDS.get(GROUP), GROUP)) { // the live-created row wins, as in liveGroup
            rows.getOrDefault(kind, Map.of()).forEach((oldId, row) -> {
                if (row.live()) {
                    live.put(oldId, row);
                }
            });
        }
        return live;
    }

    /** The IM GroupId that an old group id had before it ended (disbanded), if the id map remembers one. */
    public Optional<String> endedGroupImId(String oldGroupId) {
        Optional<IdMap.Row> ended = idMap.row(GROUP, oldGroupId).filter(IdMap.Row::ended);
        if (ended.isEmpty()) {
            ended = idMap.row(IMPORT_KINDS.get(GROUP), oldGroupId).filter(IdMap.Row::ended);
        }
        return ended.map(IdMap.Row::imId);
    }

    private boolean endedGroup(String oldGroupId) {
        return endedGroupImId(oldGroupId).isPresent();
    }

    /**
     * Records a change IM acknowledged, and returns once the record is durable: the change's queue message
     * is acknowledged only after this, so a kill between IM's ack and the record redelivers the change
     * (IM drops the resend: MsgRandom / MsgSeq come from the old id) and the record is written then. Records
     * of concurrent senders share a commit (GroupCommit), so this costs one commit per batch of senders.
     */
    public void sent(OldSystemChange change, String imId, String conversation) {
        commits.run(() -> idMap.recordDone(change.idKind(), change.sourceId(), imId, ORIGIN, conversation, null));
    }

    /**
     * The entity a group event created (group, membership), so the other direction can map it. An old id
     * whose entity ended (a disbanded group's id reused by the old app) becomes the new entity.
     */
    public void entity(String kind, String oldId, String imId, String conversation) {
        commits.run(() -> idMap.claim(kind, oldId, imId, ORIGIN, conversation, true));
    }

    /** A group that no longer exists in IM: it and its memberships end (created live or imported). */
    public void groupDisbanded(String oldGroupId) {
        commits.run(() -> lifecycle.groupDisbanded(oldGroupId));
    }

    /** A membership that ended (the member left or was removed). */
    public void memberLeft(String oldGroupId, String oldUserId) {
        commits.run(() -> lifecycle.memberLeft(oldGroupId, oldUserId));
    }

    public void rejected(OldSystemChange change, String reason) {
        commits.run(() -> idMap.recordRejected(change.idKind(), change.sourceId(), ORIGIN, reason));
    }
}
