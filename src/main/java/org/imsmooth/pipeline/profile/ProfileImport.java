package org.imsmooth.pipeline.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.canonical.CanonicalRecord;
import org.imsmooth.canonical.ProfileRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.ImProfiles;
import org.imsmooth.im.api.profile.PortraitSetRequest;
import org.imsmooth.pipeline.ImportOutcomes;
import org.imsmooth.pipeline.ImportedAccounts;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.springframework.stereotype.Component;

/**
 * Imports a batch of profiles with {@code portrait_set}, one call per user (the API takes one
 * user); several users share a work-queue message to save broker round trips. Unknown users and
 * invalid values are dead-lettered before any call, users without any value are skipped.
 */
@Component("profileImport")
public class ProfileImport {

    static final String KIND = "profiles";

    private final ImProfiles profiles;
    private final ProfileItems items;
    private final ImportedAccounts accounts;
    private final ImportOutcomes outcomes;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;

    public ProfileImport(ImProfiles profiles, ProfileItems items, ImportedAccounts accounts, ImportOutcomes outcomes, ApiQuotas quotas,
                         CallFanOut fanOut) {
        this.quotas = quotas;
        this.fanOut = fanOut;
        this.profiles = profiles;
        this.items = items;
        this.accounts = accounts;
        this.outcomes = outcomes;
    }

    /** Reader side: one old-system row as a canonical record. */
    public ProfileRecord toRecord(Map<String, Object> row) {
        return ProfileRecord.fromRow(row);
    }

    /** Worker side: imports a batch (JSON array of records) and returns the items to dead-letter. */
    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return outcomes.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<ProfileRecord> batch = outcomes.pending(KIND, outcomes.parse(KIND, batchJson, ProfileRecord.class));
        Set<String> known = accounts.imported(batch.stream().map(CanonicalRecord::sourceId).toList());
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        List<Ready> ready = new ArrayList<>();
        for (ProfileRecord record : batch) {
            String userId;
            ProfileItems.Items mapped;
            try {
                userId = accounts.userId(known, record.sourceId(), record.sourceId(), "user");
                mapped = items.of(record);
            } catch (RejectedRecordException invalid) {
                deadLetters.add(outcomes.rejected(KIND, record, invalid));
                continue;
            }
            if (mapped.items().isEmpty()) {
                // Nothing to set (IM refuses an empty ProfileItem): the imported account already is this
                // profile, so it counts as done; otherwise reconciliation reports it missing.
                outcomes.imported(KIND, record, userId, null, null);
                continue;
            }
            ready.add(new Ready(record, userId, mapped));
        }
        // one call per user, independent of each other: made side by side
        deadLetters.addAll(fanOut.each(KIND, ready, this::set));
        return deadLetters;
    }

    private List<DeadLetterItem> set(Ready ready) {
        if (!outcomes.dryRun()) {
            try {
                quotas.acquire("portrait_set");
                profiles.portraitSet(new PortraitSetRequest(ready.userId(), ready.mapped().items()));
            } catch (ImPermanentException refused) {
                return List.of(outcomes.rejected(KIND, ready.record(), refused.errorCode(), refused.getMessage()));
            }
            // a retryable failure propagates: the batch is redelivered and users already done are skipped
        }
        outcomes.imported(KIND, ready.record(), ready.userId(), null, ready.mapped().truncationNote());
        return List.of();
    }

    private record Ready(ProfileRecord record, String userId, ProfileItems.Items mapped) {
    }
}
