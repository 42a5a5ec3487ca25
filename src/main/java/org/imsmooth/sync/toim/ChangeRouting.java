package org.imsmooth.sync.toim;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.pipeline.group.GroupImport;
import org.springframework.stereotype.Component;

/**
 * Where a change belongs: its conversation (the queue's JMSXGroupID, so one consumer at a time
 * handles a conversation, in order) and the import stage it must not overtake.
 */
@Component("changeRouting")
public class ChangeRouting {

    static final String C2C_STAGE = "c2c-messages";
    static final String GROUP_STAGE = "group-messages";

    private final ImIdRule ids;
    private final SentChanges idMap;

    public ChangeRouting(ImIdRule ids, SentChanges idMap) {
        this.ids = ids;
        this.idMap = idMap;
    }

    /** C2C: both IM UserIDs sorted, "a|b"; group changes: the GroupId. An invalid change gets its own group. */
    public String conversation(OldSystemChange change) {
        try {
            if (change.isGroupChange()) {
                return groupId(change);
            }
            String a = ids.user(change.fromId());
            String b = ids.user(change.toId());
            return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
        } catch (RejectedRecordException invalid) {
            // the sender dead-letters it; it blocks no real conversation meanwhile
            return "invalid:" + change.idKind() + ":" + change.sourceId();
        }
    }

    /**
     * {@link #conversation} of each change of a batch, in order, with the id map asked once for all of
     * the batch's groups (not once or twice per group change).
     */
    public java.util.List<String> conversations(java.util.List<OldSystemChange> changes) {
        java.util.Set<String> groups = new java.util.HashSet<>();
        for (OldSystemChange change : changes) {
            if (change.isGroupChange() && change.groupId() != null) {
                groups.add(change.groupId());
            }
        }
        java.util.Map<String, org.imsmooth.state.IdMap.Row> live = groups.isEmpty() ? java.util.Map.of() : idMap.liveGroups(groups);
        java.util.List<String> conversations = new java.util.ArrayList<>(changes.size());
        for (OldSystemChange change : changes) {
            if (change.isGroupChange() && change.groupId() != null) {
                org.imsmooth.state.IdMap.Row row = live.get(change.groupId());
                conversations.add(row != null ? row.imId() : groupConversation(change));
            } else {
                conversations.add(conversation(change));
            }
        }
        return conversations;
    }

    /** The rule's GroupId of a group change without a live id map row; an invalid one gets its own group. */
    private String groupConversation(OldSystemChange change) {
        try {
            return ruleGroupId(change);
        } catch (RejectedRecordException invalid) {
            return "invalid:" + change.idKind() + ":" + change.sourceId();
        }
    }

    /**
     * The IM GroupId of the change's group: the one the id map holds for the live group (a group created
     * in IM under IM's own id, or a comeback that IM gave another id), else the id rule's (Community
     * groups get IM's @TGS#_ prefix, as in the import).
     */
    public String groupId(OldSystemChange change) {
        return idMap.liveGroup(change.groupId()).map(org.imsmooth.state.IdMap.Row::imId).orElseGet(() -> ruleGroupId(change));
    }

    /** The GroupId the id rule gives the change's group. */
    public String ruleGroupId(OldSystemChange change) {
        return "community".equals(change.groupType()) ? ids.communityGroup(change.groupId()) : ids.group(change.groupId());
    }

    public String imType(OldSystemChange change) {
        String type = change.groupType() == null ? "public" : change.groupType();
        if ("live".equals(type)) {
            return org.imsmooth.im.api.group.GroupType.AV_CHAT_ROOM;
        }
        String imType = GroupImport.TYPES.get(type);
        if (imType == null) {
            throw new RejectedRecordException(change.sourceId(), "unknown group type '" + type + "' (known: "
                    + GroupImport.TYPES.keySet() + ", live)");
        }
        return imType;
    }

    /** The import stage whose records this change must not overtake. */
    public String awaitedStage(OldSystemChange change) {
        return change.isGroupChange() ? GROUP_STAGE : C2C_STAGE;
    }
}
