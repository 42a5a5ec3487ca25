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
