package org.imsmooth.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationProgress;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/migration/status}: per-stage totals, counts, rate, ETA, pause and queue depths, live-sync lag,
 * the reconciliation's progress ({@code reconciliation}), the import's verdict (whichever instance built it) and
 * this instance ({@link InstanceStatus}), as JSON.
 */
@RestController
public class MigrationStatusController {

    private final MigrationStatusService status;
    private final ImportOrchestrator orchestrator;
    private final ImportMode mode;
    private final ReconciliationOnFinish reconciliation;
    private final SyncLag syncLag;
    private final ReconciliationProgress reconciliationProgress;
    private final InstanceStatus instance;

    public MigrationStatusController(MigrationStatusService status, ImportOrchestrator orchestrator, ImportMode mode,
                                     ReconciliationOnFinish reconciliation, SyncLag syncLag,
                                     ReconciliationProgress reconciliationProgress, InstanceStatus instance) {
        this.reconciliationProgress = reconciliationProgress;
        this.instance = instance;
        this.status = status;
        this.orchestrator = orchestrator;
        this.mode = mode;
        this.reconciliation = reconciliation;
        this.syncLag = syncLag;
    }

    /** The last reconciliation report (404 with a JSON reason until the import has finished). */
    @GetMapping("/api/migration/report")
    public org.springframework.http.ResponseEntity<Object> report() {
        var report = reconciliation.lastReport();
        if (report == null) {
            return org.springframework.http.ResponseEntity.status(404)
                    .body(Map.of("error", "no reconciliation report yet: it is built when every import stage is done"));
        }
        return org.springframework.http.ResponseEntity.ok(report);
    }

    /**
     * The service's rate history: one point per progress interval over the last two hours, each with
     * every stage's rate and their total, oldest first (the status page's chart).
     */
    @GetMapping("/api/migration/rate-history")
    public Map<String, Object> rateHistory() {
        RateHistory history = status.history();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stepSeconds", history.stepMillis() / 1000.0);
        body.put("capacity", history.capacity());
        body.put("points", history.points().stream().map(p -> {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("at", java.time.Instant.ofEpochMilli(p.atMillis()).toString());
            point.put("total", Math.round(p.total() * 10) / 10.0);
            point.put("stages", p.rates());
            return point;
        }).toList());
        return body;
    }

    @GetMapping("/api/migration/status")
    public Map<String, Object> status() {
        List<StageStatus> stages = status.stages();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("started", orchestrator.isStarted());
        body.put("finished", orchestrator.isFinished());
        body.put("dryRun", mode.dryRun());
        body.put("total", stages.stream().mapToLong(StageStatus::total).sum());
        body.put("imported", stages.stream().mapToLong(StageStatus::imported).sum());
        body.put("deadLettered", stages.stream().mapToLong(StageStatus::deadLettered).sum());
        body.put("stages", stages);
        body.put("deadLetterQueues", status.deadLetterQueues());
        body.put("syncLag", syncLag.byDirection());
        body.put("reconciliation", reconciliationProgress.snapshot());
        // the verdict of the import, whichever instance built it (shared through the state database)
        body.put("verdict", reconciliation.storedVerdict().map(v -> {
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("balanced", v.balanced());
            verdict.put("builtBy", v.instanceId());
            verdict.put("at", v.finishedAt());
            return verdict;
        }).orElse(null));
        body.put("instance", instance.report());
        return body;
    }
}
