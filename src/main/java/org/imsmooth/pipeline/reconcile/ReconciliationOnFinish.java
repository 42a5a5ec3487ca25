package org.imsmooth.pipeline.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.MigrationListener;
import org.imsmooth.pipeline.OneShotExit;
import org.imsmooth.state.InstanceId;
import org.imsmooth.state.ReconciliationVerdicts;
import org.imsmooth.state.StageProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When the import is done: builds the reconciliation report, prints it, writes it as JSON, and in
 * one-shot mode ({@code migration.exit-when-done=true}) exits 0 when it balances, 1 when it does not,
 * and 2 when it could not be built (the old system or IM unreachable): {@link OneShotExit}.
 * <p>
 * With several instances on one state database the report is built once per import: the instance
 * that claims it ({@link ReconciliationVerdicts}) reads IM back and stores the verdict; any other that
 * finishes the import (it takes the reader lease once the first stops renewing it) waits for that
 * verdict and adopts it: the same report, log and exit code, without a second read-back on the quota.
 */
@Component
public class ReconciliationOnFinish implements MigrationListener {

    private static final Logger LOG = LoggerFactory.getLogger("migration.reconciliation");

    private final Reconciler reconciler;
    private final OneShotExit oneShot;
    private final ImportMode mode;
    private final Path reportFile;
    /** How long a claim to build the report lasts unless renewed (its builder renews it while reading back). */
    static final Duration CLAIM = Duration.ofSeconds(30);
    private volatile Duration claim = CLAIM;

    private final ReconciliationVerdicts verdicts;
    private final InstanceId instance;
    private final long waitMs;
    private final AtomicReference<ReconciliationReport> last = new AtomicReference<>();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** The claim lasts as long as the leases ({@code migration.lease-ttl}). */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void claimTtl(@Value("${migration.lease-ttl:30s}") Duration ttl) {
        this.claim = ttl;
    }

    public ReconciliationOnFinish(Reconciler reconciler, OneShotExit oneShot, ImportMode mode,
                                  @Value("${migration.report-file:data/reconciliation-report.json}") String reportFile) {
        this(reconciler, oneShot, mode, reportFile, null, null, 1000);
    }

    /** Shares the verdict through the state database ({@code verdicts}); null: this instance alone (tests). */
    @Autowired
    public ReconciliationOnFinish(Reconciler reconciler, OneShotExit oneShot, ImportMode mode,
                                  @Value("${migration.report-file:data/reconciliation-report.json}") String reportFile,
                                  ReconciliationVerdicts verdicts, InstanceId instance,
                                  @Value("${migration.reconciliation.wait-ms:1000}") long waitMs) {
        this.verdicts = verdicts;
        this.instance = instance;
        this.waitMs = waitMs;
        this.reconciler = reconciler;
        this.oneShot = oneShot;
        this.mode = mode;
        this.reportFile = Path.of(reportFile);
    }

    /** The report this instance built or adopted, else the one another instance stored last. */
    public ReconciliationReport lastReport() {
        ReconciliationReport report = last.get();
        if (report != null || verdicts == null) {
            return report;
        }
        return verdicts.latest().map(this::parse).orElse(null);
    }

    /** The verdict stored last on the shared state database (who built it, when, balanced). */
    public Optional<ReconciliationVerdicts.Verdict> storedVerdict() {
        return verdicts == null ? Optional.empty() : verdicts.latest();
    }

    @Override
    public void importFinished(List<StageProgress.Counters> stages) {
        if (mode.dryRun()) {
            // nothing reached IM: the verdict is what the real run would refuse (DryRunReport)
            DryRunReport dryRun = DryRunReport.of(stages);
            LOG.info(dryRun.text());
            oneShot.exit(dryRun.onlyInvalidData() ? OneShotExit.BALANCED : OneShotExit.NOT_BALANCED,
                    dryRun.onlyInvalidData() ? "dry run: only invalid data refused" : "dry run: not every stage finished with only invalid data");
            return;
        }
        if (verdicts == null) {
            exitWith(reconcile(stages));
            return;
        }
        String fingerprint = ReconciliationVerdicts.fingerprint(stages);
        boolean told = false;
        while (!verdicts.claim(claim)) {
            Optional<ReconciliationVerdicts.Verdict> stored = verdicts.of(fingerprint);
            if (stored.isPresent()) {
                adopt(stored.get(), stages);
                return;
            }
            if (!told) {
                LOG.info("Another instance is building the reconciliation report: waiting for its verdict");
                told = true;
            }
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "reconciliation-claim"));
        try {
            // built already (by this import's first finisher, or by an instance whose claim expired meanwhile)
            Optional<ReconciliationVerdicts.Verdict> stored = verdicts.of(fingerprint);
            if (stored.isPresent()) {
                adopt(stored.get(), stages);
                return;
            }
            long every = claim.toMillis() / 3;
            renewal.scheduleWithFixedDelay(() -> {
                try {
                    verdicts.claim(claim);
                } catch (RuntimeException e) {
                    LOG.warn("Could not renew the claim on the reconciliation: {}", e.getMessage());
                }
            }, every, every, TimeUnit.MILLISECONDS);
            ReconciliationReport report = reconcile(stages);
            // stored before a one-shot run exits with it
            verdicts.store(new ReconciliationVerdicts.Verdict(fingerprint, instance.id(), report.balanced(), json(report), report.at()));
            exitWith(report);
        } finally {
            renewal.shutdownNow();
            verdicts.releaseClaim();
        }
    }

    /** The verdict another instance built for this import: shown, written and exited with as if built here. */
    private void adopt(ReconciliationVerdicts.Verdict verdict, List<StageProgress.Counters> stages) {
        ReconciliationReport report = parse(verdict);
        LOG.info("The reconciliation of this import was built by instance {} at {}", verdict.instanceId(), verdict.finishedAt());
        last.set(report);
        print(report, stages);
        write(report);
        exitWith(report);
    }

    private void exitWith(ReconciliationReport report) {
        oneShot.exit(report.balanced() ? OneShotExit.BALANCED : OneShotExit.NOT_BALANCED,
                report.balanced() ? "balanced" : "not balanced: " + report.differences().size() + " differences listed");
    }

    private ReconciliationReport parse(ReconciliationVerdicts.Verdict verdict) {
        try {
            return json.readValue(verdict.reportJson(), ReconciliationReport.class);
        } catch (IOException e) {
            throw new IllegalStateException("The stored reconciliation report cannot be read: " + e.getMessage(), e);
        }
    }

    private String json(ReconciliationReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("The reconciliation report cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private ReconciliationReport reconcile(List<StageProgress.Counters> stages) {
        ReconciliationReport report;
        try {
            report = reconciler.run(stages);
        } catch (RuntimeException e) {
            String cause = org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e).getMessage();
            LOG.error("The reconciliation could not be built: {}", cause);
            oneShot.exit(OneShotExit.COULD_NOT_FINISH, "could not finish: the reconciliation failed: " + cause
                    + "; the state is kept, a rerun reconciles again");
            throw e;
        }
        last.set(report);
        print(report, stages);
        write(report);
        return report;
    }

    private void print(ReconciliationReport report, List<StageProgress.Counters> stages) {
        StringBuilder out = new StringBuilder("\nReconciliation report (" + (report.balanced() ? "BALANCED" : "NOT BALANCED") + ")\n");
        out.append(String.format("%-16s %10s %12s %12s %8s %9s %8s %9s %11s %8s %11s%n", "kind", "old", "acknowledged", "invalid",
                "failed", "too early", "missing", "truncated", "read back", "failed", "unverified"));
        for (ReconciliationReport.KindLine l : report.kinds()) {
            out.append(String.format("%-16s %10d %12d %12d %8d %9d %8d %9d %11d %8d %11d%n", l.kind(), l.oldTotal(), l.acknowledged(),
                    l.deadLettered(), l.failed(), l.deadLetteredTooEarly(), l.missing(), l.truncated(), l.readBackChecked(),
                    l.readBackFailed(), l.notVerifiable()));
        }
        long tooEarly = report.kinds().stream().mapToLong(ReconciliationReport.KindLine::deadLetteredTooEarly).sum();
        if (tooEarly > 0) {
            out.append(tooEarly).append(" records were dead-lettered too early (\"too early\": what they refer to is in IM now): "
                    + "replay them from their stage's DLQ (POST /api/migration/stages/{stage}/dlq/replay, or retryMessages in Hawtio)\n");
        }
        report.differences().forEach(d -> out.append("  ").append(d.kind()).append(' ').append(d.id()).append(": ").append(d.problem()).append('\n'));
        out.append("Read back: ").append(report.sample()).append("; ").append(report.readBackCalls().values().stream().mapToLong(Long::longValue).sum())
                .append(" calls ").append(report.readBackCalls()).append(", reconciled in ").append(report.seconds()).append(" s\n");
        if (report.differencesOmitted() > 0) {
            out.append("  ... and ").append(report.differencesOmitted()).append(" more differences\n");
        }
        LOG.info(out.toString());
    }

    private void write(ReconciliationReport report) {
        try {
            if (reportFile.getParent() != null) {
                Files.createDirectories(reportFile.getParent());
            }
            json.writeValue(reportFile.toFile(), report);
            LOG.info("Reconciliation report written to {}", reportFile.toAbsolutePath());
        } catch (IOException e) {
            LOG.warn("Could not write the reconciliation report to {}: {}", reportFile, e.getMessage());
        }
    }
}
