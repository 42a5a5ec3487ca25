package org.imsmooth.ops;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.imsmooth.pipeline.MigrationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs one line per active stage at {@code migration.progress-interval}: counts, rate and ETA. */
@Component
public class ProgressLog {

    private static final Logger LOG = LoggerFactory.getLogger("migration.progress");

    private final MigrationStatusService status;
    private final MigrationProperties properties;
    private ScheduledExecutorService timer;

    public ProgressLog(MigrationStatusService status, MigrationProperties properties) {
        this.status = status;
        this.properties = properties;
    }

    @PostConstruct
    void start() {
        long ms = properties.progressInterval().toMillis();
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "progress-log"));
        timer.scheduleAtFixedRate(this::log, ms, ms, TimeUnit.MILLISECONDS);
    }

    void log() {
        try {
            for (StageStatus s : status.stages()) {
                if ("reading".equals(s.state()) || "draining".equals(s.state())) {
                    LOG.info("{}: {}/{} ({}%) imported {}, dead-lettered {}, skipped {}, {} /s, ETA {}, queue {}, DLQ {}",
                            s.stage(), s.imported() + s.deadLettered(), s.total(), s.percent(), s.imported(), s.deadLettered(),
                            s.skipped(), s.rate(), s.etaSeconds() == null ? "-" : s.etaSeconds() + " s", s.queueDepth(), s.dlqDepth());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("progress log skipped: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
