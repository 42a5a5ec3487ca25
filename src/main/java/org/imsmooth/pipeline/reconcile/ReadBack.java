package org.imsmooth.pipeline.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What reading one kind back from IM found. The read-back's tasks run on {@link ReadBackPool}'s threads
 * and record here concurrently. The {@link Sample.Picker} chooses, in the id map's order, the records to
 * read back (on the thread that streams the id map); differences beyond {@code maxListed} are counted only.
 */
final class ReadBack {

    final String kind;
    private final Sample.Picker picker;
    private final ReadBackPool.Tasks tasks;
    private final AtomicLong progress;
    private final int maxListed;
    private long checked;
    private long failed;
    private long notVerifiable;
    private long omitted;
    volatile String note;
    private final List<ReconciliationReport.Difference> differences = new ArrayList<>();

    ReadBack(String kind, Sample.Picker picker, ReadBackPool.Tasks tasks, AtomicLong progress, int maxListed) {
        this.kind = kind;
        this.picker = picker;
        this.tasks = tasks;
        this.progress = progress;
        this.maxListed = maxListed;
    }

    /** A kind with nothing to read back. */
    static ReadBack none(String kind, String note) {
        ReadBack r = new ReadBack(kind, new Sample.Picker(0, 1), null, new AtomicLong(), Integer.MAX_VALUE);
        r.note = note;
        return r;
    }

    /** Whether the next record of the id map's stream is read back. */
    boolean take() {
        return picker.take();
    }

    /** Whether every acknowledged record is read back (not a sample). */
    boolean all() {
        return picker.all();
    }

    /** Runs {@code task} on the pool (blocking while it is full). */
    void submit(Runnable task) {
        tasks.submit(task);
    }

    /** Waits for this kind's tasks: throws the first one's failure. */
    void await() {
        if (tasks != null) {
            tasks.await();
        }
    }

    void drain() {
        if (tasks != null) {
            tasks.drain();
        }
    }

    synchronized void ok() {
        checked++;
        progress.incrementAndGet();
    }

    /** Acknowledged, but outside what IM lets us read. */
    synchronized void unverifiable() {
        notVerifiable++;
        progress.incrementAndGet();
    }

    void fail(String kind, String id, String problem) {
        synchronized (this) {
            checked++;
            progress.incrementAndGet();
        }
        difference(new ReconciliationReport.Difference(kind, id, problem));
    }

    /** A difference that is not one record's (e.g. more messages in IM than acknowledged). */
    synchronized void difference(ReconciliationReport.Difference d) {
        failed++;
        if (differences.size() < maxListed) {
            differences.add(d);
        } else {
            omitted++;
        }
    }

    synchronized long checked() {
        return checked;
    }

    synchronized long failed() {
        return failed;
    }

    synchronized long notVerifiable() {
        return notVerifiable;
    }

    synchronized long omitted() {
        return omitted;
    }

    synchronized List<ReconciliationReport.Difference> differences() {
        return List.copyOf(differences);
    }
}
