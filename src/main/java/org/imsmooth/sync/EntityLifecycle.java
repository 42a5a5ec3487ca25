package org.imsmooth.sync;

import org.imsmooth.state.IdMap;
import org.springframework.stereotype.Component;

/**
 * Ends entities in the id map when they end on either side, so lookups that decide whether to send,
 * skip or route a change see only what still exists. A group's rows live under the live sync's kinds
 * ({@code group}, {@code group_member}) and the import's ({@code groups}, {@code group-members});
 * memberships are keyed {@code <old group id>:<old user id>}.
 */
@Component
public class EntityLifecycle {

    public static final String GROUP = "group";
    public static final String GROUP_MEMBER = "group_member";
    public static final String IMPORTED_GROUP = "groups";
    public static final String IMPORTED_GROUP_MEMBER = "group-members";

    private final IdMap idMap;

    public EntityLifecycle(IdMap idMap) {
        this.idMap = idMap;
    }

    /** The group no longer exists in IM: it and its memberships are disbanded. True when the group was live. */
    public boolean groupDisbanded(String oldGroupId) {
        boolean live = idMap.end(GROUP, oldGroupId, IdMap.DISBANDED);
        live |= idMap.end(IMPORTED_GROUP, oldGroupId, IdMap.DISBANDED);
        idMap.endPrefixed(GROUP_MEMBER, oldGroupId + ":", IdMap.DISBANDED);
        idMap.endPrefixed(IMPORTED_GROUP_MEMBER, oldGroupId + ":", IdMap.DISBANDED);
        return live;
    }

    /** The member left the group or was removed. */
    public void memberLeft(String oldGroupId, String oldUserId) {
        idMap.end(GROUP_MEMBER, oldGroupId + ":" + oldUserId, IdMap.LEFT);
        idMap.end(IMPORTED_GROUP_MEMBER, oldGroupId + ":" + oldUserId, IdMap.LEFT);
    }
}
