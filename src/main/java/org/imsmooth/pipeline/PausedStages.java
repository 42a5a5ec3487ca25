package org.imsmooth.pipeline;

/**
 * Whether an operator paused an import stage. The orchestrator starts no reader for a paused stage
 * and a running reader holds between pages ({@link InlineBatchSending#awaitSent}); the operator
 * console implements it over the database, so the pause is shared and survives a restart.
 */
public interface PausedStages {

    boolean isPaused(String stage);

    /** Used when no operator console is present (pipeline tests without it): nothing is ever paused. */
    PausedStages NONE = stage -> false;
}
