package org.imsmooth.pipeline;

import java.util.List;

import org.imsmooth.state.StageProgress;

/** Told once when every import stage is done (reconciliation, one-shot exit). */
public interface MigrationListener {

    void importFinished(List<StageProgress.Counters> stages);
}
