package org.imsmooth.pipeline.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.MissingReferenceException;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.state.IdMap;
import org.springframework.stereotype.Component;

/**
 * Resolves the users and groups a record refers to through the id map: a reference is valid only once
 * its own stage recorded it done, so an unknown owner, member, sender or group is rejected before any
 * call. A dry run imports nothing: there the users and groups it validated count as known (the ids it
 * would import), so it refuses exactly the references the real run would refuse. Resolved references are remembered (bounded, per kind): a user or
 * group its stage recorded done stays done, and every group batch asked the id map about the same
 * owners, senders and groups again.
 */
@Component("groupReferences")
public class GroupReferences {

    static final String ACCOUNTS = "accounts";
    static final String GROUPS = "groups";

    static final int MAX_REMEMBERED = 100_000;

    private final IdMap idMap;
    private final ImIdRule ids;
    private final ImportMode mode;
    private final Map<String, Map<String, String>> resolved = new ConcurrentHashMap<>();

    public GroupReferences(IdMap idMap, ImIdRule ids, ImportMode mode) {
        this.idMap = idMap;
        this.ids = ids;
        this.mode = mode;
    }

    /** IM UserIDs of the imported accounts among these old user ids (old id -> UserID). */
    public Map<String, String> accounts(Collection<String> oldUserIds) {
        return resolve(ACCOUNTS, oldUserIds);
    }

    /** GroupIds of the imported groups among these old group ids (old id -> GroupId). */
    public Map<String, String> groups(Collection<String> oldGroupIds) {
        return resolve(GROUPS, oldGroupIds);
    }

    private Map<String, String> resolve(String kind, Collection<String> oldIds) {
        Set<String> wanted = new LinkedHashSet<>();
        oldIds.forEach(id -> {
            if (id != null) {
                wanted.add(id);
            }
        });
        Map<String, String> known = resolved.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
        Map<String, String> found = new HashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (String id : wanted) {
            String imId = known.get(id);
            if (imId != null) {
                found.put(id, imId);
            } else {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            // a dry run imports nothing: there the ids it validated count as known, as the real run's would
            Map<String, String> fromMap = idMap.knownImIds(kind, unknown, mode.dryRun());
            found.putAll(fromMap);
            if (known.size() + fromMap.size() > MAX_REMEMBERED) {
                known.clear();
            }
            known.putAll(fromMap);
        }
        return found;
    }

    /** The rejection of a record whose group is not imported: says why, when the group was dead-lettered. */
    public RejectedRecordException unknownGroup(String sourceId, String oldGroupId) {
        return missing(sourceId, GROUPS, "group " + oldGroupId, oldGroupId, "not imported under groups");
    }

    /** The rejection of a record whose user ({@code role}: owner, member, sender) is not imported. */
    public RejectedRecordException unknownUser(String sourceId, String role, String oldUserId) {
        return missing(sourceId, ACCOUNTS, role + " " + oldUserId, oldUserId, "not imported under accounts");
    }

    /**
     * "group 70006 was dead-lettered: live group = AVChatRoom..." when the parent is in its DLQ, so a
     * dependent record names the cause; "... is unknown: not imported under groups" otherwise.
     */
    private RejectedRecordException missing(String sourceId, String kind, String what, String oldId, String otherwise) {
        String reason = oldId == null ? null : idMap.deadLetterReasons(kind, java.util.List.of(oldId)).get(oldId);
        if (reason != null || oldId == null) {
            return new RejectedRecordException(sourceId, reason != null ? what + " was dead-lettered: " + reason
                    : what + " is unknown: " + otherwise);
        }
        // neither imported nor dead-lettered (yet): the dead letter keeps what it waited for
        return new MissingReferenceException(sourceId, what + " is unknown: " + otherwise, kind, oldId);
    }
}
