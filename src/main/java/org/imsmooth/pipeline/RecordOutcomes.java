package org.imsmooth.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.imsmooth.canonical.CanonicalRecord;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.imsmooth.state.GroupCommit;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Writes one record's outcome (its id map row and its stage counter) in a single transaction of the
 * state database. Every imported record is written as it is acknowledged, so this runs once per IM
 * call or more: as separate auto-commits it was three commits, each a write of the state database
 * (H2 stores a chunk per commit), and a crash between them left a row without its count. The records
 * one IM call acknowledged are written together, and calls answered at the same time share a
 * transaction ({@link GroupCommit}). Inside a worker's {@link OutcomeBatch} the write is queued and
 * the worker waits for the whole batch's writes once; elsewhere the caller returns once its records
 * are committed.
 */
@Component
public class RecordOutcomes {

    private final IdMap idMap;
    private final StageProgress progress;
    private final GroupCommit commits;

    public RecordOutcomes(IdMap idMap, StageProgress progress, GroupCommit commits) {
        this.idMap = idMap;
        this.progress = progress;
        this.commits = commits;
    }

    /** One record IM acknowledged: its old id, IM id, conversation (or group) and detail note. */
    public record Done(String oldId, String imId, String conversation, String detail) {
        /** Imported with a cut text: its detail is a truncation note (what the ledger counts, {@link StageProgress#rebuildFromLedger}). */
        public boolean truncated() {
            return detail != null && detail.startsWith(TRUNCATED);
        }
    }

    /** How a truncation note begins ({@code TextLimits}). */
    public static final String TRUNCATED = "truncated";

    /** IM acknowledged the record: id map row (origin old) and the stage's imported count. */
    public void done(String stage, String oldId, String imId, String conversation, String detail) {
        done(stage, List.of(new Done(oldId, imId, conversation, detail)));
    }

    /** IM acknowledged these records (one call's): their id map rows and the stage's imported (and truncated) counts. */
    public void done(String stage, List<Done> records) {
        if (records.isEmpty()) {
            return;
        }
        write(() -> {
            long wereDeadLetters = 0;
            long imported = 0;
            long truncated = 0;
            for (Done r : records) {
                IdMap.Before before = idMap.recordAcknowledged(stage, r.oldId(), r.imId(), "old", r.conversation(), r.detail());
                if (before == IdMap.Before.DONE) {
                    continue; // counted when it was first acknowledged (a batch worked twice)
                }
                wereDeadLetters += before == IdMap.Before.DEAD_LETTER ? 1 : 0;
                imported++;
                truncated += r.truncated() ? 1 : 0;
            }
            progress.imported(stage, imported);
            progress.truncated(stage, truncated);
            // a dead letter imported since (replayed, retried): it is no longer among the stage's dead letters
            progress.deadLettered(stage, -wereDeadLetters);
        });
    }

    /**
     * A dry run's records that the real run would import, written so that the dry run's later stages
     * know them ({@link IdMap#VALIDATED}: a real run neither skips nor counts them); the stage's
     * imported count grows as for a real import.
     */
    public void validated(String stage, List<Done> records) {
        if (records.isEmpty()) {
            return;
        }
        write(() -> {
            records.forEach(r -> idMap.recordValidated(stage, r.oldId(), r.imId()));
            progress.imported(stage, records.size());
        });
    }

    /**
     * The record was dead-lettered for good: id map row (with the queue message that rejected it) and,
     * if it was not a dead letter already, the stage's dead-lettered count: the counter counts distinct
     * records, so a restart, a redelivery or a DLQ retry that rejects it again does not count it twice.
     */
    public void rejected(String stage, String oldId, String reason) {
        rejected(stage, oldId, reason, null);
    }

    /** As {@link #rejected(String, String, String)}, for want of the record {@code awaited} (or null). */
    public void rejected(String stage, String oldId, String reason, IdMap.Awaited awaited) {
        OutcomeBatch batch = OutcomeBatch.current();
        String ref = batch == null ? null : batch.delivery().messageId();
        write(() -> {
            if (idMap.recordRejected(stage, oldId, "old", reason, ref, awaited)) {
                progress.deadLettered(stage, 1);
            }
        });
    }

    /**
     * The records of a batch that the worker still has to process: those IM acknowledged are left
     * out, and so are those another queue message dead-lettered ({@link WorkDelivery#skips}); both are
     * counted as skipped.
     */
    public <T extends CanonicalRecord> List<T> pending(String stage, List<T> batch) {
        OutcomeBatch current = OutcomeBatch.current();
        WorkDelivery delivery = current == null ? WorkDelivery.NONE : current.delivery();
        Map<String, IdMap.Outcome> rows = idMap.outcomes(stage, batch.stream().map(CanonicalRecord::sourceId).toList());
        List<T> pending = new ArrayList<>(batch.size());
        for (T record : batch) {
            if (!delivery.skips(rows.get(record.sourceId()))) {
                pending.add(record);
            }
        }
        progress.skipped(stage, batch.size() - pending.size()); // a re-read page, a redelivery
        return pending;
    }

    /** Runs one work-queue message's work as an {@link OutcomeBatch}: its writes are awaited together at the end. */
    public List<DeadLetterItem> inBatch(WorkDelivery delivery, Supplier<List<DeadLetterItem>> work) {
        return OutcomeBatch.around(commits, delivery, work);
    }

    /** A state write queued elsewhere ({@link GroupCommit#submit}): awaited with the worker's batch, or now outside one. */
    public void awaitWithBatch(CompletableFuture<Void> committed) {
        OutcomeBatch batch = OutcomeBatch.current();
        if (batch == null) {
            commits.awaitAll(List.of(committed));
        } else {
            batch.add(committed);
        }
    }

    /** Inside a worker's {@link OutcomeBatch}: queued, awaited with the batch; elsewhere committed before returning. */
    private void write(Runnable work) {
        OutcomeBatch batch = OutcomeBatch.current();
        if (batch == null) {
            commits.run(work);
        } else {
            batch.add(commits.submit(work));
        }
    }
}
