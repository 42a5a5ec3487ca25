package org.imsmooth.pipeline.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.canonical.C2cMessageRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.imsmooth.pipeline.ImportOutcomes;
import org.imsmooth.pipeline.ImportedAccounts;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.springframework.stereotype.Component;

/**
 * Imports one conversation's batch of history with {@code importmsg} (SyncFromOldSystem 2: no
 * unread, no push), one call per message in the batch's chronological order; IM wants history
 * imported in time order. Invalid messages are dead-lettered before any call; a message IM refuses
 * for good is dead-lettered alone; a retryable failure rolls the whole batch back, and on
 * redelivery the messages already done are skipped (and IM would drop them anyway: same key).
 */
@Component("c2cMessageImport")
public class C2cMessageImport {

    static final String KIND = "c2c-messages";
    static final String KEY_SCOPE = "c2c";

    private final ImC2cMessages messages;
    private final MessageBodies bodies;
    private final ImportedAccounts accounts;
    private final ImportOutcomes outcomes;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;

    public C2cMessageImport(ImC2cMessages messages, MessageBodies bodies, ImportedAccounts accounts, ImportOutcomes outcomes, ApiQuotas quotas,
                            CallFanOut fanOut) {
        this.quotas = quotas;
        this.fanOut = fanOut;
        this.messages = messages;
        this.bodies = bodies;
        this.accounts = accounts;
        this.outcomes = outcomes;
    }

    /** Reader side: one old-system row as a canonical record. */
    public C2cMessageRecord toRecord(Map<String, Object> row) {
        return C2cMessageRecord.fromRow(row);
    }

    /** Worker side: imports a batch (JSON array, oldest first) and returns the items to dead-letter. */
    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return outcomes.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<C2cMessageRecord> batch = outcomes.pending(KIND, outcomes.parse(KIND, batchJson, C2cMessageRecord.class));
        Set<String> known = accounts.imported(batch.stream().flatMap(m -> Stream.of(m.fromId(), m.toId())).toList());
        long now = System.currentTimeMillis() / 1000;
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        // conversations side by side, each one's messages in order (a batch is one lane of conversations)
        Map<String, List<Ready>> byConversation = new LinkedHashMap<>();
        for (C2cMessageRecord record : batch) {
            ImportMsgRequest request;
            MessageKeys.Key key;
            try {
                String from = accounts.userId(known, record.sourceId(), record.fromId(), "sender");
                String to = accounts.userId(known, record.sourceId(), record.toId(), "receiver");
                if (from.equals(to)) {
                    throw new RejectedRecordException(record.sourceId(), "sender and receiver are the same user " + record.fromId());
                }
                if (record.sentAt() == null || record.sentAt() < 0) {
                    throw new RejectedRecordException(record.sourceId(), "message has no valid sent_at");
                }
                if (record.sentAt() > now) {
                    throw new RejectedRecordException(record.sourceId(), "sent_at " + record.sentAt() + " is in the future");
                }
                List<MsgElement> body = bodies.toMsgBody(record.sourceId(), record.kind(), record.body());
                key = MessageKeys.of(KEY_SCOPE, record.sourceId(), record.sentAt());
                request = ImportMsgRequest.history(from, to, key.msgSeq(), key.msgRandom(), key.msgTimeStamp(), body);
            } catch (RejectedRecordException invalid) {
                deadLetters.add(outcomes.rejected(KIND, record, invalid));
                continue;
            }
            byConversation.computeIfAbsent(record.conversation(), c -> new ArrayList<>()).add(new Ready(record, request, key));
        }
        deadLetters.addAll(fanOut.forEach(KIND, byConversation, (conversation, ready) -> importInOrder(ready)));
        return deadLetters;
    }

    /** One conversation's messages, oldest first; a retryable failure stops it, so none overtakes an earlier one. */
    private List<DeadLetterItem> importInOrder(List<Ready> conversation) {
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        for (Ready ready : conversation) {
            if (!outcomes.dryRun()) {
                try {
                    quotas.acquire("importmsg");
                    messages.importMsg(ready.request());
                } catch (ImPermanentException refused) {
                    deadLetters.add(outcomes.rejected(KIND, ready.record(), refused.errorCode(), refused.getMessage()));
                    continue;
                }
            }
            outcomes.imported(KIND, ready.record(), ready.key().msgKey(), ready.record().conversation(), null);
        }
        return deadLetters;
    }

    private record Ready(C2cMessageRecord record, ImportMsgRequest request, MessageKeys.Key key) {
    }
}
