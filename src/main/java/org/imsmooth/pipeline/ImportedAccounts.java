package org.imsmooth.pipeline;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.MissingReferenceException;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.state.IdMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which old users exist in IM: those the accounts stage recorded as done. Every later stage checks
 * this before calling, so a record about an unknown user is rejected with a clear reason instead of
 * costing a call that IM would refuse with a less helpful code. Users found imported are remembered
 * (an account IM acknowledged stays acknowledged: the accounts stage never imports it again), so the
 * stages that run after accounts ask the id map only about users they have not met yet; that lookup
 * for every batch was about a tenth of the import's CPU. The memory is bounded: past
 * {@code MAX_REMEMBERED} users it starts over, and the id map stays the only record.
 */
@Component
public class ImportedAccounts {

    static final String ACCOUNTS = "accounts";

    static final int MAX_REMEMBERED = 100_000;

    private final IdMap idMap;
    private final ImIdRule ids;
    private final Set<String> knownImported = ConcurrentHashMap.newKeySet();

    /** A dry run: the accounts it validated count as imported (the ids it would import). */
    private final boolean dryRun;

    @Autowired
    public ImportedAccounts(IdMap idMap, ImIdRule ids, ImportMode mode) {
        this.idMap = idMap;
        this.ids = ids;
        this.dryRun = mode.dryRun();
    }

    public ImportedAccounts(IdMap idMap, ImIdRule ids) {
        this(idMap, ids, new ImportMode(false, true));
    }

    /** The subset of these old user ids that were imported. */
    public Set<String> imported(Collection<String> oldUserIds) {
        Set<String> distinct = new LinkedHashSet<>(oldUserIds);
        distinct.remove(null);
        Set<String> unknown = new LinkedHashSet<>();
        Set<String> imported = new HashSet<>();
        for (String user : distinct) {
            (knownImported.contains(user) ? imported : unknown).add(user);
        }
        if (!unknown.isEmpty()) {
            Set<String> found = idMap.known(ACCOUNTS, unknown, dryRun);
            imported.addAll(found);
            if (knownImported.size() + found.size() > MAX_REMEMBERED) {
                knownImported.clear();
            }
            knownImported.addAll(found);
        }
        return imported;
    }

    /** The IM UserID of an imported user, or a rejection naming the role ("sender", "user"...). */
    public String userId(Set<String> imported, String sourceId, String oldUserId, String role) {
        if (oldUserId == null || !imported.contains(oldUserId)) {
            String reason = oldUserId == null ? null : idMap.deadLetterReasons(ACCOUNTS, java.util.List.of(oldUserId)).get(oldUserId);
            if (reason != null) {
                throw new RejectedRecordException(sourceId, role + " '" + oldUserId + "' was dead-lettered: " + reason);
            }
            String unknown = "unknown " + role + " '" + oldUserId + "': not an imported account";
            // neither imported nor dead-lettered (yet): the dead letter keeps what it waited for
            throw oldUserId == null ? new RejectedRecordException(sourceId, unknown)
                    : new MissingReferenceException(sourceId, unknown, ACCOUNTS, oldUserId);
        }
        return ids.user(oldUserId);
    }
}
