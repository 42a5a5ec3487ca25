package org.imsmooth.pipeline.group;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

import com.fasterxml.jackson.core.type.TypeReference;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.canonical.GroupMessageRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImGroupImport;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupMsgItem;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.im.api.group.ImportGroupMsgRequest;
import org.imsmooth.im.api.group.ImportMsgResultItem;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.RecordOutcomes;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.imsmooth.pipeline.message.MessageBodies;
import org.imsmooth.state.GroupHistoryCalls;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Imports group history with {@code import_group_msg}, at most 7 messages per call, per group in send
 * order (the reader orders by group, sent_at, id; Artemis message groups keep one group's batches in
 * order). import_group_msg has no durable dedup and refuses anything older than the group's newest
 * message, so after a crash between IM's answer and the id map write a re-sent batch must not be
 * imported again: a group is marked before its calls and unmarked once their answers are recorded
 * ({@link GroupHistoryCalls}); a group still marked, or one whose earlier history is already in IM, has
 * its newest messages read back first, and those matching Random + sender + SendTime are recorded done
 * instead of being sent. A group seen for the first time needs no read-back: IM holds nothing of it
 * beyond what the id map says (reading back every group cost a call, and its CPU, per group).
 */
@Component("groupMessageImport")
public class GroupMessageImport {

    static final String KIND = "group-messages";
    static final int MAX_PER_CALL = 7;
    /** group_msg_get_simple's page: at most 20 messages, newest first; older pages by ReqMsgSeq. */
    static final int READ_BACK = 20;

    private record Prepared(GroupMessageRecord record, GroupMsgItem item) {
    }

    private final ImGroupImport groupImport;
    private final ImGroupReads groupReads;
    private final GroupReferences references;
    private final MessageBodies bodies;
    private final ImportMode mode;
    private final StageLedger<GroupMessageRecord> ledger;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;
    private final GroupHistoryCalls calls;
    private final RecordOutcomes outcomes;

    public GroupMessageImport(ImGroupImport groupImport, ImGroupReads groupReads, GroupReferences references,
                              MessageBodies bodies, IdMap idMap, StageProgress progress, ImportMode mode, ApiQuotas quotas,
                              RecordOutcomes outcomes, CallFanOut fanOut, GroupHistoryCalls calls) {
        this.quotas = quotas;
        this.fanOut = fanOut;
        this.calls = calls;
        this.outcomes = outcomes;
        this.groupImport = groupImport;
        this.groupReads = groupReads;
        this.references = references;
        this.bodies = bodies;
        this.mode = mode;
        this.ledger = new StageLedger<>(KIND, new TypeReference<>() { }, idMap, progress, mode, outcomes);
    }

    /** A message up to this many seconds ahead of the clock is waited for, not refused. */
    static final long RECENT_SECONDS = 3;

    public GroupMessageRecord toRecord(Map<String, Object> row) {
        return GroupMessageRecord.fromRow(row);
    }

    /** IM's Random for a message: derived from its old id, so a re-sent message carries the same one. */
    static long randomOf(String sourceId) {
        CRC32 crc = new CRC32();
        crc.update(("group-message:" + sourceId).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return ledger.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<GroupMessageRecord> batch = ledger.notDone(batchJson);
        Map<String, String> groups = references.groups(batch.stream().map(GroupMessageRecord::groupId).toList());
        Map<String, String> senders = references.accounts(batch.stream().map(GroupMessageRecord::fromId).toList());
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        Map<String, List<Prepared>> byGroup = new LinkedHashMap<>();
        long now = afterNewest(batch);
        for (GroupMessageRecord m : batch) {
            try {
                Prepared p = prepare(m, groups, senders, now);
                byGroup.computeIfAbsent(groups.get(m.groupId()), g -> new ArrayList<>()).add(p);
            } catch (RejectedRecordException invalid) {
                deadLetters.add(ledger.reject(m, invalid));
            }
        }
        if (mode.dryRun()) {
            ledger.validated(byGroup.values().stream().mapToInt(List::size).sum());
            return deadLetters;
        }
        // interrupted calls, or earlier history in IM: read back before sending (IM only appends)
        Map<String, Boolean> called = calls.calledBefore(byGroup.keySet());
        // groups are independent: their calls run side by side, each group's history in order
        deadLetters.addAll(fanOut.forEach(KIND, byGroup,
                (groupId, messages) -> importGroup(groupId, messages, called.get(groupId))));
        return deadLetters;
    }

    /**
     * Now, in epoch seconds, once the clock has passed the batch's newest message. IM takes history only
     * before the current second, and a row written while the import runs (its reader reads to the end of
     * the table) may be from this very second: it waits for the next second rather than being refused.
     * Only a few seconds are waited; a time further ahead is a data error and is refused.
     */
    static long afterNewest(List<GroupMessageRecord> batch) {
        long start = Instant.now().getEpochSecond();
        long newest = batch.stream().map(GroupMessageRecord::sentAt).filter(Objects::nonNull).mapToLong(Long::longValue)
                .filter(t -> t < start + RECENT_SECONDS).max().orElse(Long.MIN_VALUE);
        long now = start;
        while (newest >= now) {
            try {
                Thread.sleep(Math.max(1, (newest + 1) * 1000 - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = Instant.now().getEpochSecond();
        }
        return now;
    }

    private Prepared prepare(GroupMessageRecord m, Map<String, String> groups, Map<String, String> senders, long now) {
        String id = m.sourceId();
        if (!groups.containsKey(m.groupId())) {
            throw references.unknownGroup(id, m.groupId());
        }
        String from = senders.get(m.fromId());
        if (from == null) {
            throw references.unknownUser(id, "sender", m.fromId());
        }
        if (m.sentAt() == null || m.sentAt() >= now) {
            throw new RejectedRecordException(id, "sent_at " + m.sentAt() + " is missing or in the future");
        }
        if (m.groupCreatedAt() == null || m.sentAt() <= m.groupCreatedAt()) {
            throw new RejectedRecordException(id, "sent_at " + m.sentAt() + " is not after the group's CreateTime "
                    + m.groupCreatedAt() + " (IM refuses such a SendTime)");
        }
        return new Prepared(m, new GroupMsgItem(from, m.sentAt(), randomOf(id), bodies.toMsgBody(id, m.kind(), m.body())));
    }

    /**
     * One group's messages: recover what IM already holds, reject what it can no longer take, send the rest.
     * {@code calledBefore} is null for a group with no history calls yet, false for one whose calls were all
     * recorded (only IM's newest message matters then: nothing older can be imported), true for one with
     * calls whose answers may be unrecorded.
     */
    private List<DeadLetterItem> importGroup(String groupId, List<Prepared> messages, Boolean calledBefore) {
        boolean readBack = calledBefore != null;
        List<GroupRoamMsg> newest = List.of();
        if (readBack) {
            newest = readBack(groupId, calledBefore ? messages.stream().mapToLong(p -> p.item().sendTime()).min().orElse(0) : null);
        }
        long newestTime = newest.stream().mapToLong(r -> r.msgTimeStamp() == null ? 0 : r.msgTimeStamp()).max().orElse(0);
        if (readBack && !calledBefore) {
            // older than IM's newest and not on its newest page: IM may still hold it further back (its calls were
            // cut off, and the group's later history went in meanwhile, e.g. on another instance). Read back down to
            // it before refusing it, or history IM holds would be dead-lettered as "older than the newest".
            List<GroupRoamMsg> page = newest;
            long oldestUnmatched = messages.stream().filter(p -> p.item().sendTime() < newestTime
                            && page.stream().noneMatch(r -> sameMessage(r, p.item())))
                    .mapToLong(p -> p.item().sendTime()).min().orElse(Long.MAX_VALUE);
            if (oldestUnmatched != Long.MAX_VALUE) {
                newest = readBack(groupId, oldestUnmatched);
            }
        }
        List<GroupRoamMsg> held = newest;
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        List<Prepared> toSend = new ArrayList<>();
        for (Prepared p : messages) {
            GroupRoamMsg inIm = held.stream().filter(r -> sameMessage(r, p.item())).findFirst().orElse(null);
            if (inIm != null) {
                ledger.done(p.record(), groupId + ":" + inIm.msgSeq(), groupId,
                        "found in IM by Random/sender/time: imported before a restart");
            } else if (p.item().sendTime() < newestTime) {
                deadLetters.add(ledger.reject(p.record(), null, "sent_at " + p.item().sendTime()
                        + " is older than the newest message already in " + groupId + " (" + newestTime
                        + "): IM only appends history"));
            } else {
                toSend.add(p);
            }
        }
        if (!toSend.isEmpty()) {
            // a failure or a crash from here on leaves the mark: the group's next attempt reads back first
            calls.calling(groupId);
            for (int from = 0; from < toSend.size(); from += MAX_PER_CALL) {
                deadLetters.addAll(send(groupId, toSend.subList(from, Math.min(toSend.size(), from + MAX_PER_CALL))));
            }
        }
        if (readBack || !toSend.isEmpty()) {
            // every answer is recorded now, also those of an interrupted attempt that the read-back found
            outcomes.awaitWithBatch(calls.answered(groupId));
        }
        return deadLetters;
    }

    /**
     * The group's newest messages in IM, newest first. Without {@code from}, one page. With it (the group
     * was interrupted), pages back until the messages are older than {@code from}, the oldest SendTime
     * still to be recorded: any of them that IM took before the interruption is newer than that, and a
     * page of 20 could hold fewer than were in flight (several 7-message calls of one batch, up to the
     * batch's size). IM appends in send order, so nothing older can be one of them.
     */
    private List<GroupRoamMsg> readBack(String groupId, Long from) {
        List<GroupRoamMsg> read = new ArrayList<>();
        Long reqSeq = null;
        while (true) {
            quotas.acquire("group_msg_get_simple");
            List<GroupRoamMsg> page = groupReads.groupMsgGetSimple(
                    new GroupMsgGetSimpleRequest(groupId, READ_BACK, reqSeq, null, null)).rspMsgList();
            if (page == null || page.isEmpty()) {
                return read;
            }
            read.addAll(page);
            long oldestSeq = page.stream().map(GroupRoamMsg::msgSeq).filter(Objects::nonNull).mapToLong(Long::longValue)
                    .min().orElse(0);
            long oldestTime = page.stream().map(GroupRoamMsg::msgTimeStamp).filter(Objects::nonNull).mapToLong(Long::longValue)
                    .min().orElse(0);
            if (from == null || page.size() < READ_BACK || oldestSeq <= 1 || oldestTime < from) {
                return read;
            }
            reqSeq = oldestSeq - 1;
        }
    }

    private static boolean sameMessage(GroupRoamMsg inIm, GroupMsgItem item) {
        return Objects.equals(inIm.msgRandom(), item.random()) && Objects.equals(inIm.fromAccount(), item.fromAccount())
                && Objects.equals(inIm.msgTimeStamp(), item.sendTime());
    }

    /** One call; results follow MsgList order. Whole-call errors are thrown. */
    private List<DeadLetterItem> send(String groupId, List<Prepared> messages) {
        // a queue message holds several groups, so the route's throttle (per message) does not bound the calls
        quotas.acquire("import_group_msg");
        List<ImportMsgResultItem> results = groupImport.importGroupMsg(new ImportGroupMsgRequest(groupId, null, null,
                messages.stream().map(Prepared::item).toList())).importMsgResult();
        if (results == null || results.size() != messages.size()) {
            // cannot tell which message landed: retry; the read-back then finds those that did
            throw new IllegalStateException("import_group_msg answered " + (results == null ? 0 : results.size())
                    + " results for " + messages.size() + " messages in " + groupId);
        }
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        List<RecordOutcomes.Done> acknowledged = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ImportMsgResultItem r = results.get(i);
            Prepared p = messages.get(i);
            if (r.result() != null && r.result() == 0) {
                acknowledged.add(new RecordOutcomes.Done(p.record().sourceId(), groupId + ":" + r.msgSeq(), groupId, null));
            } else {
                deadLetters.add(ledger.reject(p.record(), r.result(), "import_group_msg refused the message: Result "
                        + r.result() + " (10004 invalid SendTime, 80001 sensitive words, 80002 body over 8000 B)"));
            }
        }
        ledger.done(acknowledged);
        return deadLetters;
    }
}
