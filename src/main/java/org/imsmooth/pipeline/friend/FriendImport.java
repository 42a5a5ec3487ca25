package org.imsmooth.pipeline.friend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.imsmooth.canonical.FriendRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImFriends;
import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.sns.AddFriendItem;
import org.imsmooth.im.api.sns.FriendImportRequest;
import org.imsmooth.im.api.sns.FriendImportResult;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.pipeline.ImportOutcomes;
import org.imsmooth.pipeline.ImportedAccounts;
import org.imsmooth.pipeline.TextLimits;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.springframework.stereotype.Component;

/**
 * Imports one user's one-way friendships with a single {@code friend_import} call. The reader
 * batches per user and sets JMSXGroupID to the user, so the broker never hands two batches of one
 * user to concurrent consumers (IM answers 30008 to concurrent writes on one user). Friends IM lists
 * as failed in ResultItem are dead-lettered one by one with IM's code.
 */
@Component("friendImport")
public class FriendImport {

    static final String KIND = "friends";
    static final String DEFAULT_SOURCE = "AddSource_Type_Import";
    private static final int MAX_SOURCE_KEYWORD = 8;
    private static final Pattern NOT_LETTERS = Pattern.compile("[^A-Za-z]");

    private final ImFriends friends;
    private final ImportedAccounts accounts;
    private final ImportOutcomes outcomes;
    private final TextLimits limits;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;

    public FriendImport(ImFriends friends, ImportedAccounts accounts, ImportOutcomes outcomes, TextLimits limits, ApiQuotas quotas,
                        CallFanOut fanOut) {
        this.quotas = quotas;
        this.fanOut = fanOut;
        this.friends = friends;
        this.accounts = accounts;
        this.outcomes = outcomes;
        this.limits = limits;
    }

    /** Reader side: one old-system row as a canonical record. */
    public FriendRecord toRecord(Map<String, Object> row) {
        return FriendRecord.fromRow(row);
    }

    /** Worker side: imports one user's batch (JSON array of records) and returns the items to dead-letter. */
    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return outcomes.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<FriendRecord> batch = outcomes.pending(KIND, outcomes.parse(KIND, batchJson, FriendRecord.class));
        Set<String> known = accounts.imported(batch.stream().flatMap(f -> Stream.of(f.userId(), f.friendId())).toList());
        long now = System.currentTimeMillis() / 1000;
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        // one call per From_Account: a batch is one user's, but a DLQ retry or a custom mapping may mix users
        Map<String, Map<String, Pending>> byUser = new LinkedHashMap<>();
        for (FriendRecord record : batch) {
            try {
                String from = accounts.userId(known, record.sourceId(), record.userId(), "user");
                String to = accounts.userId(known, record.sourceId(), record.friendId(), "friend");
                if (from.equals(to)) {
                    throw new RejectedRecordException(record.sourceId(), "a user cannot be their own friend");
                }
                if (record.addedAt() != null && record.addedAt() > now) {
                    throw new RejectedRecordException(record.sourceId(), "added_at " + record.addedAt() + " is in the future");
                }
                // IM relationship-chain limits (remark 96 B, group name 30 B): not in the reference sheet, from Tencent's friend docs
                TextLimits.Fitted remark = limits.fit(record.sourceId(), "Remark", record.remark(), 96);
                TextLimits.Fitted group = limits.fit(record.sourceId(), "GroupName", record.groupName(), 30);
                Source source = addSource(record.addSource());
                String note = join(remark.note(), group.note(), source.note());
                AddFriendItem item = new AddFriendItem(to, source.value(), remark.value(), null,
                        group.value() == null ? null : List.of(group.value()), null, record.addedAt(), null);
                byUser.computeIfAbsent(from, k -> new LinkedHashMap<>()).put(to, new Pending(record, item, note));
            } catch (RejectedRecordException invalid) {
                deadLetters.add(outcomes.rejected(KIND, record, invalid));
            }
        }
        // a batch is one lane of users: their calls side by side, one per user
        deadLetters.addAll(fanOut.forEach(KIND, byUser, this::importFor));
        return deadLetters;
    }

    private List<DeadLetterItem> importFor(String from, Map<String, Pending> pending) {
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        Map<String, ItemFailure> failed = new LinkedHashMap<>();
        if (!outcomes.dryRun()) {
            // a batch is one lane of users, one call each: pace every call, not only every batch
            quotas.acquire("friend_import");
            // whole-call failures propagate: retryable ones roll the batch back, permanent ones dead-letter it
            FriendImportResult result = friends.friendImport(new FriendImportRequest(from,
                    pending.values().stream().map(Pending::item).toList()));
            result.failedItems().forEach(f -> failed.putIfAbsent(f.itemId(), f));
        }
        List<ImportOutcomes.Acknowledged> acknowledged = new ArrayList<>();
        pending.forEach((to, p) -> {
            ItemFailure failure = failed.get(to);
            if (failure == null) {
                acknowledged.add(new ImportOutcomes.Acknowledged(p.record(), from + ":" + to, null, p.note()));
            } else {
                deadLetters.add(outcomes.rejected(KIND, p.record(),
                        failure.code() == ItemFailure.UNKNOWN_CODE ? null : failure.code(),
                        "IM refused friend " + to + " of " + from + ": "
                                + (failure.info() == null || failure.info().isBlank() ? "code " + failure.code() : failure.info())));
            }
        });
        outcomes.imported(KIND, acknowledged);
        return deadLetters;
    }

    /** IM wants AddSource_Type_ plus a letters-only keyword of at most 8 characters. */
    private static Source addSource(String oldSource) {
        String letters = oldSource == null ? "" : NOT_LETTERS.matcher(oldSource).replaceAll("");
        if (letters.isEmpty()) {
            return new Source(DEFAULT_SOURCE, null);
        }
        String keyword = Character.toUpperCase(letters.charAt(0)) + letters.substring(1);
        if (keyword.length() > MAX_SOURCE_KEYWORD) {
            return new Source("AddSource_Type_" + keyword.substring(0, MAX_SOURCE_KEYWORD),
                    "truncated AddSource '" + oldSource + "' to " + MAX_SOURCE_KEYWORD + " letters");
        }
        return new Source("AddSource_Type_" + keyword, null);
    }

    private static String join(String... notes) {
        String joined = String.join("; ", Stream.of(notes).filter(n -> n != null).toList());
        return joined.isEmpty() ? null : joined;
    }

    private record Source(String value, String note) {
    }

    private record Pending(FriendRecord record, AddFriendItem item, String note) {
    }
}
