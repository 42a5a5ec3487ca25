package org.imsmooth.pipeline.account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.AccountRecord;
import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImAccounts;
import org.imsmooth.im.ImCallException;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.account.AccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportResult;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.WorkQueueBatch;
import org.imsmooth.pipeline.RecordOutcomes;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Imports one batch of accounts with {@code multiaccount_import} in its AccountList form, which keeps
 * Nick and FaceUrl. Invalid records are dead-lettered before the call; ids IM lists in FailAccounts
 * (which carries no code) are retried one by one with {@code account_import}, so each dead letter
 * carries IM's real error code. Everything IM accepted is written to the id map.
 */
@Component("accountImport")
public class AccountImport {

    static final String KIND = "accounts";
    private static final TypeReference<List<AccountRecord>> BATCH = new TypeReference<>() { };

    private final ImAccounts accounts;
    private final ImIdRule ids;
    private final IdMap idMap;
    private final StageProgress progress;
    private final ImportMode mode;
    private final ApiQuotas quotas;
    private final RecordOutcomes outcomes;
    private final ObjectMapper json = new ObjectMapper();

    public AccountImport(ImAccounts accounts, ImIdRule ids, IdMap idMap, StageProgress progress, ImportMode mode, ApiQuotas quotas,
                         RecordOutcomes outcomes) {
        this.accounts = accounts;
        this.ids = ids;
        this.idMap = idMap;
        this.progress = progress;
        this.mode = mode;
        this.quotas = quotas;
        this.outcomes = outcomes;
    }

    /** Reader side: one old-system row as a canonical record. */
    public AccountRecord toRecord(Map<String, Object> row) {
        return AccountRecord.fromRow(row);
    }

    /** Worker side: imports a batch (JSON array of records) and returns the items to dead-letter. */
    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return outcomes.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<AccountRecord> batch = parse(batchJson);
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        Map<String, AccountRecord> byUserId = new LinkedHashMap<>();
        // imported before, or dead-lettered by another queue message: a re-read page or a redelivery
        for (AccountRecord record : outcomes.pending(KIND, batch)) {
            try {
                byUserId.put(ids.user(record.sourceId()), record);
            } catch (RejectedRecordException invalid) {
                deadLetters.add(reject(record, null, invalid.getMessage()));
            }
        }
        if (byUserId.isEmpty()) {
            return deadLetters;
        }
        if (mode.dryRun()) {
            // validated: a dry run calls nothing, but its later stages know these users (as the real run would)
            outcomes.validated(KIND, byUserId.entrySet().stream()
                    .map(e -> new RecordOutcomes.Done(e.getValue().sourceId(), e.getKey(), null, null)).toList());
            return deadLetters;
        }
        List<AccountImportRequest> list = byUserId.entrySet().stream()
                .map(e -> new AccountImportRequest(e.getKey(), e.getValue().nick(), e.getValue().faceUrl())).toList();
        // spaced evenly like every other call: the route's throttle lets a window's messages through in a burst
        quotas.acquire("multiaccount_import");
        MultiAccountImportResult result = accounts.multiaccountImport(MultiAccountImportRequest.ofAccounts(list));
        var failed = result.failedItems().stream().map(ItemFailure::itemId).toList();
        // what the call accepted is written in one transaction (one commit rather than two per account)
        outcomes.done(KIND, byUserId.entrySet().stream().filter(e -> !failed.contains(e.getKey()))
                .map(e -> new RecordOutcomes.Done(e.getValue().sourceId(), e.getKey(), null, null)).toList());
        for (var entry : byUserId.entrySet()) {
            String userId = entry.getKey();
            AccountRecord record = entry.getValue();
            if (!failed.contains(userId)) {
                continue;
            }
            try {
                quotas.acquire("account_import");
                accounts.accountImport(new AccountImportRequest(userId, record.nick(), record.faceUrl()));
                outcomes.done(KIND, record.sourceId(), userId, null, null);
            } catch (ImPermanentException e) {
                deadLetters.add(reject(record, e.errorCode(), e.getMessage()));
            } catch (ImCallException retryable) {
                throw retryable; // the whole batch is redelivered; accounts already done are skipped then
            }
        }
        return deadLetters;
    }

    private DeadLetterItem reject(AccountRecord record, Integer code, String reason) {
        if (mode.dryRun()) {
            progress.deadLettered(KIND, 1);
        } else {
            outcomes.rejected(KIND, record.sourceId(), reason);
        }
        return new DeadLetterItem(record.sourceId(), code, reason, write(List.of(record)));
    }

    private List<AccountRecord> parse(byte[] batchJson) {
        return WorkQueueBatch.parse(json, "account", batchJson, json.getTypeFactory().constructType(BATCH));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
