package org.imsmooth.sync.toim;

import java.util.Map;

import org.imsmooth.state.GroupCommit;
import org.imsmooth.state.IdMap;
import org.springframework.stereotype.Component;

/**
 * The id map as the final echo and duplicate check of this direction. A change is not sent again
 * when its (kind, old id) is already there: sent before a crash or a redelivery (kinds
 * c2c_message, group_message, group_event) or imported by the historical import (which records
 * under its stage names). Every send is recorded with origin 'old', committed before the call
 * returns; the writes of changes sent at the same moment share one commit ({@link GroupCommit}: each
 * commit of the embedded state database writes a chunk to its file).
 */
@Component
public class SentChanges {

    static final String ORIGIN = "old";
    static final String GROUP = "group";
    static final String GROUP_MEMBER = "group_member";
    /** Sync kind -> the import stage that records the same entities. */
    private static final Map<String, String> IMPORT_KINDS = Map.of(
            OldSystemChange.C2C_MESSAGE, "c2c-messages", OldSystemChange.GROUP_MESSAGE, "group-messages", GROUP, "groups");

    private final IdMap idMap;
    private final GroupCommit commits;

    public SentChanges(IdMap idMap, GroupCommit commits) {
        this.idMap = idMap;
        this.commits = commits;
    }

    /** True when the change (or, for a group creation, the group) is already in IM by this service. */
    public boolean alreadyInIm(OldSystemChange change) {
        if (known(change.idKind(), change.sourceId())) {
            return true;
        }
        return OldSystemChange.GROUP_EVENT.equals(change.change()) && "created".equals(change.event()) && known(GROUP, change.groupId());
    }

    private boolean known(String kind, String oldId) {
        if (idMap.imIdOf(kind, oldId).isPresent()) {
            return true;
        }
        String importKind = IMPORT_KINDS.get(kind);
        return importKind != null && idMap.imIdOf(importKind, oldId).isPresent();
    }

    public void sent(OldSystemChange change, String imId, String conversation) {
        commits.run(() -> idMap.recordDone(change.idKind(), change.sourceId(), imId, ORIGIN, conversation, null));
    }

    /** The entity a group event created (group, membership), so the other direction can map it. */
    public void entity(String kind, String oldId, String imId, String conversation) {
        commits.run(() -> idMap.recordDone(kind, oldId, imId, ORIGIN, conversation, null));
    }

    public void rejected(OldSystemChange change, String reason) {
        commits.run(() -> idMap.recordRejected(change.idKind(), change.sourceId(), ORIGIN, reason));
    }
}
