package org.imsmooth.pipeline;

import java.util.List;

import org.imsmooth.state.StageProgress;

/** Told when the import starts (sync's capture watermark) and once when every stage is done (reconciliation, one-shot exit). */
public interface MigrationListener {

    /** The import is starting (or resuming) on this instance. */
    default void importStarting() {
    }

    void importFinished(List<StageProgress.Counters> stages);
}
