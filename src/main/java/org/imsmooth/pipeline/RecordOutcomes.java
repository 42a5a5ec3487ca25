package org.imsmooth.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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
    }

    /** IM acknowledged the record: id map row (origin old) and the stage's imported count. */
    public void done(String stage, String oldId, String imId, String conversation, String detail) {
        done(stage, List.of(new Done(oldId, imId, conversation, detail)));
    }

    /** IM acknowledged these records (one call's): their id map rows and the stage's imported count. */
    public void done(String stage, List<Done> records) {
        if (records.isEmpty()) {
            return;
        }
        write(() -> {
            records.forEach(r -> idMap.recordDone(stage, r.oldId(), r.imId(), "old", r.conversation(), r.detail()));
            progress.imported(stage, records.size());
        });
    }

    /** The record was dead-lettered for good: id map row and the stage's dead-lettered count. */
    public void rejected(String stage, String oldId, String reason) {
        write(() -> {
            idMap.recordRejected(stage, oldId, "old", reason);
            progress.deadLettered(stage, 1);
        });
    }

    /** Runs one work-queue message's work as an {@link OutcomeBatch}: its writes are awaited together at the end. */
    public List<DeadLetterItem> inBatch(Supplier<List<DeadLetterItem>> work) {
        return OutcomeBatch.around(commits, work);
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
