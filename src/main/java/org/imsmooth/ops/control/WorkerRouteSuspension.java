package org.imsmooth.ops.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.imsmooth.pipeline.MigrationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes this instance's worker routes ({@code import-<stage>}) follow the shared pause state: a
 * paused stage's work-queue consumers are suspended (the batch in hand finishes, nothing new is
 * taken), a resumed one's run again. Applied before Camel starts (paused workers are not started at
 * all), at once when this instance's control API changes a stage, and every second for changes made
 * through another instance.
 */
@Component
public class WorkerRouteSuspension implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerRouteSuspension.class);

    private final StagePauseStore pauses;
    private final MigrationProperties plan;
    private CamelContext camel;
    private ScheduledExecutorService poller;

    public WorkerRouteSuspension(StagePauseStore pauses, MigrationProperties plan) {
        this.pauses = pauses;
        this.plan = plan;
    }

    static String workerRouteOf(String stage) {
        return "import-" + stage;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        Set<String> paused = pauses.paused();
        if (paused.isEmpty()) {
            return;
        }
        List<String> exclude = new ArrayList<>();
        if (camelContext.getAutoStartupExcludePattern() != null && !camelContext.getAutoStartupExcludePattern().isBlank()) {
            exclude.add(camelContext.getAutoStartupExcludePattern());
        }
        paused.stream().filter(plan.stages()::containsKey).map(WorkerRouteSuspension::workerRouteOf).forEach(exclude::add);
        camelContext.setAutoStartupExcludePattern(String.join(",", exclude));
        LOG.info("Import stages paused by an operator stay paused: {}", paused);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stage-pause-poller");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::safeApply, 1, 1, TimeUnit.SECONDS);
    }

    private void safeApply() {
        try {
            apply();
        } catch (RuntimeException e) {
            LOG.warn("Could not apply the stages' pause state, will retry: {}", e.getMessage());
        }
    }

    /** Suspends or resumes each stage's worker route to match the database. */
    public synchronized void apply() {
        if (camel == null || !camel.isStarted()) {
            return;
        }
        Set<String> paused = pauses.paused();
        for (String stage : plan.stages().keySet()) {
            String route = workerRouteOf(stage);
            ServiceStatus status = camel.getRouteController().getRouteStatus(route);
            if (status == null) {
                continue;
            }
            try {
                if (paused.contains(stage) && status.isStarted()) {
                    camel.getRouteController().suspendRoute(route);
                    LOG.info("Stage {}: workers suspended (paused)", stage);
                } else if (!paused.contains(stage) && status.isSuspended()) {
                    camel.getRouteController().resumeRoute(route);
                    LOG.info("Stage {}: workers resumed", stage);
                } else if (!paused.contains(stage) && status.isStopped()) {
                    camel.getRouteController().startRoute(route);
                    LOG.info("Stage {}: workers started", stage);
                }
            } catch (Exception e) {
                throw new IllegalStateException("route " + route + ": " + e.getMessage(), e);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
