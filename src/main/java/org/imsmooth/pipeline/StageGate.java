package org.imsmooth.pipeline;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Holds a stage's workers until every stage it waits for is done. A stage's reader starts as soon as
 * the readers of the stages it waits for are finished (ImportOrchestrator), so its first queue
 * messages are ready when its dependencies' last calls are answered; its workers, though, must not
 * call IM before then (a member before its group, an unread count before the group's history). The
 * states are in the database, so a worker on any instance sees the release; the orchestrator's
 * instance also wakes its own workers at once.
 */
@Component
public class StageGate {

    /** How often a held worker reads the states again (on instances the orchestrator does not run on). */
    private static final long RECHECK_MS = 50;

    private final MigrationProperties plan;
    private final StageProgress progress;
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();

    public StageGate(MigrationProperties plan, StageProgress progress) {
        this.plan = plan;
        this.progress = progress;
    }

    /** Called by each worker route before its stage's work: returns once the stage may call IM. */
    public void awaitDependencies(String stage) throws InterruptedException {
        if (released.contains(stage)) {
            return;
        }
        List<String> dependencies = plan.stages().get(stage);
        if (dependencies == null) {
            throw new IllegalArgumentException("unknown import stage '" + stage + "' (migration.stages)");
        }
        while (true) {
            List<String> states = dependencies.stream().map(progress::stateOf).toList();
            if (states.stream().allMatch(ImportOrchestrator.DONE::equals)) {
                released.add(stage);
                return;
            }
            if (states.stream().noneMatch(StageGate::holds)) {
                // no dependency is under way: the stage runs outside the import's plan (a test, a replay)
                return;
            }
            synchronized (signal) {
                signal.wait(RECHECK_MS);
            }
        }
    }

    /** A dependency in one of these states keeps the stage's calls waiting (failed: until an operator fixes it). */
    private static boolean holds(String dependencyState) {
        return ImportOrchestrator.READING.equals(dependencyState) || ImportOrchestrator.DRAINING.equals(dependencyState)
                || ImportOrchestrator.FAILED.equals(dependencyState);
    }

    /**
     * A stage reads again (an export file added later): the stages after it hold their calls again
     * until it is done (their workers read the states again).
     */
    void reopened() {
        released.clear();
    }

    /** A stage finished: held workers look again now rather than at their next recheck. */
    void stageDone() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}
