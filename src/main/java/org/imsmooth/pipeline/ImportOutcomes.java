package org.imsmooth.pipeline;

import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.CanonicalRecord;
import org.imsmooth.canonical.MissingReferenceException;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * The bookkeeping every import worker does the same way, so each stage's bean only maps and calls:
 * reading a batch from the work queue, skipping what IM already acknowledged, recording an
 * acknowledgement (id map + counters, nothing written in a dry run) and turning a rejected record into
 * a dead letter whose body is a one-record batch, so an operator's DLQ retry feeds the same worker.
 */
@Component("importOutcomes")
public class ImportOutcomes {

    private final IdMap idMap;
    private final StageProgress progress;
    private final ImportMode mode;
    private final RecordOutcomes outcomes;
    private final ObjectMapper json = new ObjectMapper();

    public ImportOutcomes(IdMap idMap, StageProgress progress, ImportMode mode, RecordOutcomes outcomes) {
        this.idMap = idMap;
        this.progress = progress;
        this.mode = mode;
        this.outcomes = outcomes;
    }

    /** Runs one work-queue message's work as an {@link OutcomeBatch} (one wait for all its writes' commit). */
    public List<DeadLetterItem> inBatch(WorkDelivery delivery, Supplier<List<DeadLetterItem>> work) {
        return outcomes.inBatch(delivery, work);
    }

    public boolean dryRun() {
        return mode.dryRun();
    }

    /** A work-queue body (JSON array of records); a malformed one is rejected as a whole. */
    public <T extends CanonicalRecord> List<T> parse(String stage, byte[] batchJson, Class<T> type) {
        return WorkQueueBatch.parse(json, stage, batchJson, json.getTypeFactory().constructCollectionType(List.class, type));
    }

    /**
     * The records IM has not acknowledged yet, less those another queue message dead-lettered; the
     * others (re-read page, redelivery) are counted as skipped ({@link RecordOutcomes#pending}).
     */
    public <T extends CanonicalRecord> List<T> pending(String stage, List<T> batch) {
        return outcomes.pending(stage, batch);
    }

    /** A record IM acknowledged, with its IM id, conversation and truncation note (or null). */
    public record Acknowledged(CanonicalRecord record, String imId, String conversation, String truncationNote) {
    }

    /** IM acknowledged the record (or, in a dry run, it is valid): id map row, counters, truncation note. */
    public void imported(String stage, CanonicalRecord record, String imId, String conversation, String truncationNote) {
        imported(stage, List.of(new Acknowledged(record, imId, conversation, truncationNote)));
    }

    /** The records one call acknowledged, written in one transaction. */
    public void imported(String stage, List<Acknowledged> acknowledged) {
        if (mode.dryRun()) {
            progress.imported(stage, acknowledged.size());
            progress.truncated(stage, acknowledged.stream().filter(a -> a.truncationNote() != null).count());
        } else {
            // the truncated count is written with the rows ({@link RecordOutcomes.Done#truncated})
            outcomes.done(stage, acknowledged.stream()
                    .map(a -> new RecordOutcomes.Done(a.record().sourceId(), a.imId(), a.conversation(), a.truncationNote())).toList());
        }
    }

    /** The record goes to the DLQ on its own, with IM's code (null for a validation rejection) and the reason. */
    public DeadLetterItem rejected(String stage, CanonicalRecord record, Integer errorCode, String reason) {
        return rejected(stage, record, errorCode, reason, null);
    }

    /** A record refused before any call: the reason, and the record it waited for when it names one. */
    public DeadLetterItem rejected(String stage, CanonicalRecord record, RejectedRecordException invalid) {
        return rejected(stage, record, null, invalid.getMessage(), awaitedBy(invalid));
    }

    /** The record a rejection waited for ({@link MissingReferenceException}), or null. */
    public static IdMap.Awaited awaitedBy(RejectedRecordException invalid) {
        return invalid instanceof MissingReferenceException missing
                ? new IdMap.Awaited(missing.awaitedKind(), missing.awaitedOldId()) : null;
    }

    private DeadLetterItem rejected(String stage, CanonicalRecord record, Integer errorCode, String reason, IdMap.Awaited awaited) {
        if (mode.dryRun()) {
            progress.deadLettered(stage, 1);
        } else {
            outcomes.rejected(stage, record.sourceId(), reason, awaited);
        }
        return new DeadLetterItem(record.sourceId(), errorCode, reason, write(List.of(record)));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
