package org.imsmooth.pipeline.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.MigrationListener;
import org.imsmooth.pipeline.OneShotExit;
import org.imsmooth.state.StageProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When the import is done: builds the reconciliation report, prints it, writes it as JSON, and in
 * one-shot mode ({@code migration.exit-when-done=true}) exits 0 when it balances, 1 when it does not,
 * and 2 when it could not be built (the old system or IM unreachable): {@link OneShotExit}.
 */
@Component
public class ReconciliationOnFinish implements MigrationListener {

    private static final Logger LOG = LoggerFactory.getLogger("migration.reconciliation");

    private final Reconciler reconciler;
    private final OneShotExit oneShot;
    private final ImportMode mode;
    private final Path reportFile;
    private final AtomicReference<ReconciliationReport> last = new AtomicReference<>();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    public ReconciliationOnFinish(Reconciler reconciler, OneShotExit oneShot, ImportMode mode,
                                  @Value("${migration.report-file:data/reconciliation-report.json}") String reportFile) {
        this.reconciler = reconciler;
        this.oneShot = oneShot;
        this.mode = mode;
        this.reportFile = Path.of(reportFile);
    }

    public ReconciliationReport lastReport() {
        return last.get();
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
        oneShot.exit(report.balanced() ? OneShotExit.BALANCED : OneShotExit.NOT_BALANCED,
                report.balanced() ? "balanced" : "not balanced: " + report.differences().size() + " differences listed");
    }

    private void print(ReconciliationReport report, List<StageProgress.Counters> stages) {
        StringBuilder out = new StringBuilder("\nReconciliation report (" + (report.balanced() ? "BALANCED" : "NOT BALANCED") + ")\n");
        out.append(String.format("%-16s %10s %12s %12s %8s %8s %9s %11s %8s %11s%n", "kind", "old", "acknowledged", "invalid",
                "failed", "missing", "truncated", "read back", "failed", "unverified"));
        for (ReconciliationReport.KindLine l : report.kinds()) {
            out.append(String.format("%-16s %10d %12d %12d %8d %8d %9d %11d %8d %11d%n", l.kind(), l.oldTotal(), l.acknowledged(),
                    l.deadLettered(), l.failed(), l.missing(), l.truncated(), l.readBackChecked(), l.readBackFailed(), l.notVerifiable()));
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
