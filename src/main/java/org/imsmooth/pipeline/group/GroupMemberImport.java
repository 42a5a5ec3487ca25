package org.imsmooth.pipeline.group;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import org.imsmooth.canonical.GroupMemberRecord;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImGroupImport;
import org.imsmooth.im.api.group.ImportGroupMember;
import org.imsmooth.im.api.group.ImportGroupMemberRequest;
import org.imsmooth.im.api.group.MemberResultItem;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.RecordOutcomes;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Imports group members with {@code import_group_member}, at most {@code pipeline.group-members.batch-size}
 * per call (20 by the newest doc). Owners are not sent, because import_group already made them members,
 * but are recorded done. A JoinTime IM would refuse (not after the group's creation, or in the future) and
 * unknown groups or users are rejected before the call. Result 2 "already a member" is what a re-sent
 * batch after a crash sees, so it counts as done.
 */
@Component("groupMemberImport")
public class GroupMemberImport {

    static final String KIND = "group-members";

    /** A member ready to send. */
    private record Prepared(GroupMemberRecord record, ImportGroupMember member) {
    }

    private final ImGroupImport groupImport;
    private final GroupReferences references;
    private final ImportMode mode;
    private final StageLedger<GroupMemberRecord> ledger;
    private final int batchSize;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;

    public GroupMemberImport(ImGroupImport groupImport, GroupReferences references, IdMap idMap, StageProgress progress,
                             ImportMode mode, @Value("${pipeline.group-members.batch-size:20}") int batchSize, ApiQuotas quotas,
                             RecordOutcomes outcomes, CallFanOut fanOut) {
        this.groupImport = groupImport;
        this.fanOut = fanOut;
        this.quotas = quotas;
        this.references = references;
        this.mode = mode;
        this.batchSize = batchSize;
        this.ledger = new StageLedger<>(KIND, new TypeReference<>() { }, idMap, progress, mode, outcomes);
    }

    public GroupMemberRecord toRecord(Map<String, Object> row) {
        return GroupMemberRecord.fromRow(row);
    }

    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return ledger.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<GroupMemberRecord> batch = ledger.notDone(batchJson);
        Map<String, String> groups = references.groups(batch.stream().map(GroupMemberRecord::groupId).toList());
        Map<String, String> users = references.accounts(batch.stream().map(GroupMemberRecord::userId).toList());
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        Map<String, List<Prepared>> byGroup = new LinkedHashMap<>();
        List<Prepared> owners = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        for (GroupMemberRecord m : batch) {
            try {
                Prepared p = prepare(m, groups, users, now);
                if ("owner".equals(m.role())) {
                    owners.add(p);
                } else {
                    byGroup.computeIfAbsent(groups.get(m.groupId()), g -> new ArrayList<>()).add(p);
                }
            } catch (RejectedRecordException invalid) {
                deadLetters.add(ledger.reject(m, invalid));
            }
        }
        if (mode.dryRun()) {
            // the dry run's unread counts know the memberships the real run would import
            List<RecordOutcomes.Done> validated = new ArrayList<>();
            for (Prepared p : owners) {
                validated.add(new RecordOutcomes.Done(p.record().sourceId(), null, null, null));
            }
            byGroup.values().forEach(ps -> ps.forEach(p -> validated.add(new RecordOutcomes.Done(p.record().sourceId(), null, null, null))));
            ledger.validated(validated);
            return deadLetters;
        }
        for (Prepared owner : owners) {
            String groupId = groups.get(owner.record().groupId());
            ledger.done(owner.record(), groupId + ":" + owner.member().memberAccount(), groupId,
                    "owner: made a member by import_group");
        }
        // groups are independent: their calls run side by side, each group's calls in order
        deadLetters.addAll(fanOut.forEach(KIND, byGroup, (groupId, members) -> {
            List<DeadLetterItem> refused = new ArrayList<>();
            for (int from = 0; from < members.size(); from += batchSize) {
                refused.addAll(send(groupId, members.subList(from, Math.min(members.size(), from + batchSize))));
            }
            return refused;
        }));
        return deadLetters;
    }

    private Prepared prepare(GroupMemberRecord m, Map<String, String> groups, Map<String, String> users, long now) {
        String id = m.sourceId();
        if (!groups.containsKey(m.groupId())) {
            throw references.unknownGroup(id, m.groupId());
        }
        String user = users.get(m.userId());
        if (user == null) {
            throw references.unknownUser(id, "member", m.userId());
        }
        String role = m.role() == null ? "member" : m.role();
        switch (role) {
            case "owner":
                return new Prepared(m, new ImportGroupMember(user, null, null, null));
            case "admin", "member":
                break;
            default:
                throw new RejectedRecordException(id, "unknown member role '" + m.role() + "' (known: owner, admin, member)");
        }
        if (m.joinedAt() == null || m.groupCreatedAt() == null || m.joinedAt() <= m.groupCreatedAt()) {
            throw new RejectedRecordException(id, "joined_at " + m.joinedAt() + " is not after the group's CreateTime "
                    + m.groupCreatedAt() + " (IM refuses such a JoinTime)");
        }
        if (m.joinedAt() >= now) {
            throw new RejectedRecordException(id, "joined_at " + m.joinedAt() + " is in the future");
        }
        return new Prepared(m, new ImportGroupMember(user, "admin".equals(role) ? "Admin" : null, m.joinedAt(), null));
    }

    /** One call; whole-call errors are thrown (retryable: redelivered, permanent: the batch is dead-lettered). */
    private List<DeadLetterItem> send(String groupId, List<Prepared> members) {
        // a queue message holds several groups, so the route's throttle (per message) does not bound the calls
        quotas.acquire("import_group_member");
        List<MemberResultItem> results = groupImport.importGroupMember(
                new ImportGroupMemberRequest(groupId, members.stream().map(Prepared::member).toList())).memberList();
        Map<String, MemberResultItem> byAccount = (results == null ? List.<MemberResultItem>of() : results).stream()
                .collect(Collectors.toMap(MemberResultItem::memberAccount, Function.identity(), (a, b) -> a));
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        List<RecordOutcomes.Done> acknowledged = new ArrayList<>();
        for (Prepared p : members) {
            String account = p.member().memberAccount();
            MemberResultItem result = byAccount.get(account);
            if (result != null && !result.failed()) {
                acknowledged.add(new RecordOutcomes.Done(p.record().sourceId(), groupId + ":" + account, groupId,
                        result.result() == MemberResultItem.ALREADY_MEMBER ? "already a member" : null));
            } else {
                deadLetters.add(ledger.reject(p.record(), null, result == null
                        ? "import_group_member did not answer for " + account
                        : "import_group_member refused " + account + " (Result 0)"));
            }
        }
        ledger.done(acknowledged);
        return deadLetters;
    }
}
