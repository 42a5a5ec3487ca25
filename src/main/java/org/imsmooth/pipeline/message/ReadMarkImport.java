package org.imsmooth.pipeline.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.canonical.ConversationKey;
import org.imsmooth.canonical.ReadMarkRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.api.c2c.AdminSetMsgReadRequest;
import org.imsmooth.pipeline.ImportOutcomes;
import org.imsmooth.pipeline.ImportedAccounts;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.springframework.stereotype.Component;

/**
 * Imports C2C read marks with {@code admin_set_msg_read}, one call per mark: everything the reader
 * received from the peer up to read_at becomes read. Run after the messages stage, since a mark only
 * covers messages that exist. Setting the same mark twice is harmless, so redelivery is safe.
 */
@Component("readMarkImport")
public class ReadMarkImport {

    static final String KIND = "c2c-read-marks";

    private final ImC2cMessages messages;
    private final ImportedAccounts accounts;
    private final ImportOutcomes outcomes;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;

    public ReadMarkImport(ImC2cMessages messages, ImportedAccounts accounts, ImportOutcomes outcomes, ApiQuotas quotas, CallFanOut fanOut) {
        this.quotas = quotas;
        this.fanOut = fanOut;
        this.messages = messages;
        this.accounts = accounts;
        this.outcomes = outcomes;
    }

    /** Reader side: one old-system row as a canonical record. */
    public ReadMarkRecord toRecord(Map<String, Object> row) {
        return ReadMarkRecord.fromRow(row);
    }

    /** Worker side: imports a batch (JSON array of records) and returns the items to dead-letter. */
    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return outcomes.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<ReadMarkRecord> batch = outcomes.pending(KIND, outcomes.parse(KIND, batchJson, ReadMarkRecord.class));
        Set<String> known = accounts.imported(batch.stream().flatMap(m -> Stream.of(m.userId(), m.peerId())).toList());
        long now = System.currentTimeMillis() / 1000;
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        // conversation sides side by side; marks of one side (if a mapping yields several) in order
        Map<String, List<Ready>> bySide = new LinkedHashMap<>();
        for (ReadMarkRecord record : batch) {
            AdminSetMsgReadRequest request;
            try {
                String reader = accounts.userId(known, record.sourceId(), record.userId(), "user");
                String peer = accounts.userId(known, record.sourceId(), record.peerId(), "peer");
                if (reader.equals(peer)) {
                    throw new RejectedRecordException(record.sourceId(), "a read mark needs two different users");
                }
                if (record.readAt() == null || record.readAt() < 0) {
                    throw new RejectedRecordException(record.sourceId(), "read mark has no valid read_at");
                }
                if (record.readAt() > now) {
                    throw new RejectedRecordException(record.sourceId(), "read_at " + record.readAt() + " is in the future");
                }
                request = new AdminSetMsgReadRequest(reader, peer, record.readAt());
            } catch (RejectedRecordException invalid) {
                deadLetters.add(outcomes.rejected(KIND, record, invalid));
                continue;
            }
            bySide.computeIfAbsent(request.reportAccount() + ":" + request.peerAccount(), k -> new ArrayList<>())
                    .add(new Ready(record, request));
        }
        deadLetters.addAll(fanOut.forEach(KIND, bySide, (side, marks) -> setInOrder(marks)));
        return deadLetters;
    }

    private List<DeadLetterItem> setInOrder(List<Ready> marks) {
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        for (Ready ready : marks) {
            ReadMarkRecord record = ready.record();
            AdminSetMsgReadRequest request = ready.request();
            if (!outcomes.dryRun()) {
                try {
                    quotas.acquire("admin_set_msg_read");
                    messages.adminSetMsgRead(request);
                } catch (ImPermanentException refused) {
                    deadLetters.add(outcomes.rejected(KIND, record, refused.errorCode(), refused.getMessage()));
                    continue;
                }
            }
            outcomes.imported(KIND, record, request.reportAccount() + ":" + request.peerAccount(),
                    ConversationKey.of(record.userId(), record.peerId()), null);
        }
        return deadLetters;
    }

    private record Ready(ReadMarkRecord record, AdminSetMsgReadRequest request) {
    }
}
