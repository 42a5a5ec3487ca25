package org.imsmooth.ops.control;

import java.util.Collection;
import java.util.List;

import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.pipeline.MigrationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** What the control API does: start the import, pause and resume stages (one or all). */
@Service
public class MigrationControl {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationControl.class);

    private final ImportOrchestrator orchestrator;
    private final MigrationProperties plan;
    private final StagePauseStore pauses;
    private final WorkerRouteSuspension workers;

    public MigrationControl(ImportOrchestrator orchestrator, MigrationProperties plan, StagePauseStore pauses,
                            WorkerRouteSuspension workers) {
        this.orchestrator = orchestrator;
        this.plan = plan;
        this.pauses = pauses;
        this.workers = workers;
    }

    /** The stage names, or the one named (404 from the controller when unknown). */
    public List<String> stages(String stage) {
        if (stage == null) {
            return List.copyOf(plan.stages().keySet());
        }
        if (!plan.stages().containsKey(stage)) {
            throw new UnknownStageException(stage, plan.stages().keySet());
        }
        return List.of(stage);
    }

    /**
     * Starts the import if it is not running (stages then run in dependency order) and lets the
     * given stages run: starting a paused stage resumes it.
     */
    public void start(Collection<String> stages, String operator) {
        resume(stages, operator);
        if (!orchestrator.isStarted()) {
            LOG.info("Historical import started by operator {}", operator);
            orchestrator.start();
        }
    }

    public void pause(Collection<String> stages, String operator) {
        stages.forEach(stage -> pauses.set(stage, true, operator));
        LOG.info("Stages {} paused by operator {}", stages, operator);
        workers.apply();
    }

    public void resume(Collection<String> stages, String operator) {
        Collection<String> paused = pauses.paused();
        List<String> changed = stages.stream().filter(paused::contains).toList();
        changed.forEach(stage -> pauses.set(stage, false, operator));
        if (!changed.isEmpty()) {
            LOG.info("Stages {} resumed by operator {}", changed, operator);
        }
        workers.apply();
    }

    public boolean importStarted() {
        return orchestrator.isStarted();
    }

    /** A stage name that is not in {@code migration.stages}. */
    public static final class UnknownStageException extends RuntimeException {
        UnknownStageException(String stage, Collection<String> known) {
            super("unknown stage '" + stage + "'; stages are " + known);
        }
    }
}
