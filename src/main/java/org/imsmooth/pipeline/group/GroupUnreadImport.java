package org.imsmooth.pipeline.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.canonical.CanonicalRecord;
import org.imsmooth.canonical.GroupUnreadRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImGroupImport;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.api.group.SetUnreadMsgNumRequest;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.RecordOutcomes;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Sets members' unread counts with {@code set_unread_msg_num}, one call per member. It runs after the
 * group history, because importing history resets every count to 0. A count for someone who is not an
 * imported member of an imported group is rejected before the call. IM clamps a count above the group's
 * message count and ignores counts in ChatRoom groups (documented), so both are still "done".
 */
@Component("groupUnreadImport")
public class GroupUnreadImport {

    static final String KIND = "group-unread";

    private final ImGroupImport groupImport;
    private final GroupReferences references;
    private final IdMap idMap;
    private final ImportMode mode;
    private final StageLedger<GroupUnreadRecord> ledger;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;

    public GroupUnreadImport(ImGroupImport groupImport, GroupReferences references, IdMap idMap, StageProgress progress,
                             ImportMode mode, ApiQuotas quotas, RecordOutcomes outcomes, CallFanOut fanOut) {
        this.quotas = quotas;
        this.fanOut = fanOut;
        this.groupImport = groupImport;
        this.references = references;
        this.idMap = idMap;
        this.mode = mode;
        this.ledger = new StageLedger<>(KIND, new TypeReference<>() { }, idMap, progress, mode, outcomes);
    }

    public GroupUnreadRecord toRecord(Map<String, Object> row) {
        return GroupUnreadRecord.fromRow(row);
    }

    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return ledger.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<GroupUnreadRecord> batch = ledger.notDone(batchJson);
        Map<String, String> groups = references.groups(batch.stream().map(GroupUnreadRecord::groupId).toList());
        Map<String, String> users = references.accounts(batch.stream().map(GroupUnreadRecord::userId).toList());
        // membership ids are the same "<group_id>:<user_id>" as these records' ids
        // (in a dry run: the memberships it validated, as the real run would have imported them)
        Set<String> members = idMap.known(GroupMemberImport.KIND, batch.stream().map(CanonicalRecord::sourceId).toList(), mode.dryRun());
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        List<GroupUnreadRecord> ready = new ArrayList<>();
        for (GroupUnreadRecord u : batch) {
            try {
                check(u, groups, users, members);
                ready.add(u);
            } catch (RejectedRecordException invalid) {
                deadLetters.add(ledger.reject(u, invalid));
            }
        }
        if (mode.dryRun()) {
            ledger.validated(ready.size());
            return deadLetters;
        }
        // one call per member, and members are independent: the calls run side by side
        deadLetters.addAll(fanOut.each(KIND, ready, u -> set(u, groups.get(u.groupId()), users.get(u.userId()))));
        return deadLetters;
    }

    private List<DeadLetterItem> set(GroupUnreadRecord u, String groupId, String user) {
        try {
            quotas.acquire("set_unread_msg_num");
            groupImport.setUnreadMsgNum(new SetUnreadMsgNumRequest(groupId, user, u.unread()));
            ledger.done(u, groupId + ":" + user, groupId, "UnreadMsgNum " + u.unread());
            return List.of();
        } catch (ImPermanentException e) {
            return List.of(ledger.reject(u, e.errorCode(), e.getMessage()));
        }
        // a retryable ImCallException is thrown: the batch is redelivered, counts already set are skipped then
    }

    private void check(GroupUnreadRecord u, Map<String, String> groups, Map<String, String> users, Set<String> members) {
        String id = u.sourceId();
        if (!groups.containsKey(u.groupId())) {
            throw references.unknownGroup(id, u.groupId());
        }
        if (!users.containsKey(u.userId())) {
            throw references.unknownUser(id, "member", u.userId());
        }
        if (!members.contains(id)) {
            throw new RejectedRecordException(id, "user " + u.userId() + " is not an imported member of group "
                    + u.groupId() + " (not done under group-members)");
        }
        if (u.unread() == null || u.unread() < 0) {
            throw new RejectedRecordException(id, "unread count " + u.unread() + " is missing or negative");
        }
    }
}
