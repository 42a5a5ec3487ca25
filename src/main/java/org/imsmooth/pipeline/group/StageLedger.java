package org.imsmooth.pipeline.group;

import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.CanonicalRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.pipeline.ImportOutcomes;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.WorkQueueBatch;
import org.imsmooth.pipeline.RecordOutcomes;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;

/**
 * One stage's bookkeeping, written the same way by every group stage: what IM acknowledged goes to
 * the id map and the imported counter, what can never succeed becomes a dead-letter item whose body
 * is a one-record batch (so a DLQ retry re-enters the worker), and a dry run writes no id map rows.
 */
final class StageLedger<R extends CanonicalRecord> {

    private final String stage;
    private final TypeReference<List<R>> batchType;
    private final IdMap idMap;
    private final StageProgress progress;
    private final ImportMode mode;
    private final RecordOutcomes outcomes;
    private final ObjectMapper json = new ObjectMapper();

    StageLedger(String stage, TypeReference<List<R>> batchType, IdMap idMap, StageProgress progress, ImportMode mode,
                RecordOutcomes outcomes) {
        this.stage = stage;
        this.batchType = batchType;
        this.idMap = idMap;
        this.progress = progress;
        this.mode = mode;
        this.outcomes = outcomes;
    }

    /** Runs one work-queue message's work with its writes awaited together at the end ({@code OutcomeBatch}). */
    List<DeadLetterItem> inBatch(WorkDelivery delivery, Supplier<List<DeadLetterItem>> work) {
        return outcomes.inBatch(delivery, work);
    }

    /**
     * The batch's records IM has not acknowledged yet, less those another queue message dead-lettered
     * (they are in the DLQ once already); the others are counted as skipped.
     */
    List<R> notDone(byte[] batchJson) {
        List<R> batch = WorkQueueBatch.parse(json, stage, batchJson, json.getTypeFactory().constructType(batchType));
        return outcomes.pending(stage, batch);
    }

    void done(R record, String imId, String groupId, String detail) {
        outcomes.done(stage, record.sourceId(), imId, groupId, detail);
    }

    /** The records one call acknowledged, written in one transaction. */
    void done(List<RecordOutcomes.Done> acknowledged) {
        outcomes.done(stage, acknowledged);
    }

    /** Dry run: validated records count as imported, and nothing is written. */
    void validated(int n) {
        progress.imported(stage, n);
    }

    /** Dry run: validated records the dry run's later stages refer to, recorded as such ({@link IdMap#VALIDATED}). */
    void validated(List<RecordOutcomes.Done> records) {
        outcomes.validated(stage, records);
    }

    void truncated(int n) {
        progress.truncated(stage, n);
    }

    DeadLetterItem reject(R record, Integer code, String reason) {
        return reject(record, code, reason, null);
    }

    /** A record refused before any call: the reason, and the record it waited for when it names one. */
    DeadLetterItem reject(R record, RejectedRecordException invalid) {
        return reject(record, null, invalid.getMessage(), ImportOutcomes.awaitedBy(invalid));
    }

    private DeadLetterItem reject(R record, Integer code, String reason, IdMap.Awaited awaited) {
        if (mode.dryRun()) {
            progress.deadLettered(stage, 1);
        } else {
            outcomes.rejected(stage, record.sourceId(), reason, awaited);
        }
        try {
            return new DeadLetterItem(record.sourceId(), code, reason, json.writeValueAsString(List.of(record)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
