package org.imsmooth.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.imsmooth.pipeline.failure.TransientWaits;
import org.imsmooth.state.StageProgress;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What keeps the import from going on (a stage waiting out an outage, a reader failing) and since
 * when; in one-shot mode, gives up with exit code 2 when one of them has lasted longer than
 * {@code migration.give-up-after}. The state stays as it is: a rerun resumes.
 */
@Component
public class GiveUpWatch implements MigrationListener {

    /** One obstacle: which stage (or sync flow), what, and since when. */
    public record Obstacle(String stage, String problem, Instant since) {
    }

    private final TransientWaits waits;
    private final ObjectProvider<ImportOrchestrator> orchestrator;
    private final OneShotExit exit;
    private final Clock clock;
    private ScheduledExecutorService watch;

    public GiveUpWatch(TransientWaits waits, ObjectProvider<ImportOrchestrator> orchestrator, OneShotExit exit) {
        this.waits = waits;
        this.orchestrator = orchestrator;
        this.exit = exit;
        this.clock = Clock.systemUTC();
    }

    /** The oldest obstacle now, if any. */
    public Optional<Obstacle> oldest() {
        Obstacle oldest = null;
        for (Map.Entry<String, TransientWaits.Wait> w : waits.all().entrySet()) {
            Obstacle o = new Obstacle(w.getKey(), "waiting: " + w.getValue().cause(), w.getValue().since());
            oldest = oldest == null || o.since().isBefore(oldest.since()) ? o : oldest;
        }
        ImportOrchestrator import_ = orchestrator.getIfAvailable();
        if (import_ != null) {
            for (Map.Entry<String, ImportOrchestrator.ReaderFailure> f : import_.readerFailures().entrySet()) {
                Obstacle o = new Obstacle(f.getKey(), "reader failed at cursor " + f.getValue().cursor() + ": " + f.getValue().error(),
                        f.getValue().since());
                oldest = oldest == null || o.since().isBefore(oldest.since()) ? o : oldest;
            }
        }
        return Optional.ofNullable(oldest);
    }

    @Override
    public synchronized void importStarting() {
        if (!exit.oneShot() || exit.giveUpAfter().isEmpty() || watch != null) {
            return;
        }
        watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "give-up-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    void check() {
        Duration limit = exit.giveUpAfter().orElse(null);
        if (limit == null) {
            return;
        }
        oldest().filter(o -> Duration.between(o.since(), clock.instant()).compareTo(limit) > 0).ifPresent(o ->
                exit.exit(OneShotExit.COULD_NOT_FINISH, "could not finish: " + o.stage() + " " + o.problem() + " since " + o.since()
                        + ", longer than migration.give-up-after (" + limit + "); the state is kept, a rerun resumes"));
    }

    @Override
    public void importFinished(List<StageProgress.Counters> stages) {
        // the reconciliation reports what is left; its own failures end the run (ReconciliationOnFinish)
    }

    @PreDestroy
    synchronized void stop() {
        if (watch != null) {
            watch.shutdownNow();
        }
    }
}
