package org.imsmooth.pipeline;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.state.IdMap;
import org.springframework.stereotype.Component;

/**
 * Which old users exist in IM: those the accounts stage recorded as done. Every later stage checks
 * this before calling, so a record about an unknown user is rejected with a clear reason instead of
 * costing a call that IM would refuse with a less helpful code.
 */
@Component
public class ImportedAccounts {

    static final String ACCOUNTS = "accounts";

    private final IdMap idMap;
    private final ImIdRule ids;

    public ImportedAccounts(IdMap idMap, ImIdRule ids) {
        this.idMap = idMap;
        this.ids = ids;
    }

    /** The subset of these old user ids that were imported. */
    public Set<String> imported(Collection<String> oldUserIds) {
        Set<String> distinct = new LinkedHashSet<>(oldUserIds);
        distinct.remove(null);
        return idMap.done(ACCOUNTS, distinct);
    }

    /** The IM UserID of an imported user, or a rejection naming the role ("sender", "user"...). */
    public String userId(Set<String> imported, String sourceId, String oldUserId, String role) {
        if (oldUserId == null || !imported.contains(oldUserId)) {
            throw new RejectedRecordException(sourceId, "unknown " + role + " '" + oldUserId + "': not an imported account");
        }
        return ids.user(oldUserId);
    }
}
