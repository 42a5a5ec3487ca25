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
import org.imsmooth.pipeline.MigrationProperties;
import org.imsmooth.state.StageProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * When the import is done: builds the reconciliation report, prints it, writes it as JSON, and in
 * one-shot mode ({@code migration.exit-when-done=true}) exits 0 only when it balances.
 */
@Component
public class ReconciliationOnFinish implements MigrationListener {

    private static final Logger LOG = LoggerFactory.getLogger("migration.reconciliation");

    private final Reconciler reconciler;
    private final ImportMode mode;
    private final MigrationProperties properties;
    private final ApplicationContext context;
    private final Path reportFile;
    private final AtomicReference<ReconciliationReport> last = new AtomicReference<>();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    public ReconciliationOnFinish(Reconciler reconciler, MigrationProperties properties, ApplicationContext context, ImportMode mode,
                                  @Value("${migration.report-file:data/reconciliation-report.json}") String reportFile) {
        this.reconciler = reconciler;
        this.mode = mode;
        this.properties = properties;
        this.context = context;
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
            exitIfOneShot(dryRun.onlyInvalidData() ? 0 : 1);
            return;
        }
        ReconciliationReport report = reconciler.run();
        last.set(report);
        print(report, stages);
        write(report);
        if (properties.exitWhenDone()) {
            int code = report.balanced() && stages.stream().allMatch(s -> "done".equals(s.state())) ? 0 : 1;
            exitIfOneShot(code);
        }
    }

    private void exitIfOneShot(int code) {
        if (properties.exitWhenDone()) {
            LOG.info("One-shot mode: exiting with {}", code);
            new Thread(() -> System.exit(SpringApplication.exit(context, () -> code)), "one-shot-exit").start();
        }
    }

    private void print(ReconciliationReport report, List<StageProgress.Counters> stages) {
        StringBuilder out = new StringBuilder("\nReconciliation report (" + (report.balanced() ? "BALANCED" : "NOT BALANCED") + ")\n");
        out.append(String.format("%-16s %10s %12s %12s %8s %9s %11s %8s %11s%n", "kind", "old", "acknowledged", "dead-letter",
                "missing", "truncated", "read back", "failed", "unverified"));
        for (ReconciliationReport.KindLine l : report.kinds()) {
            out.append(String.format("%-16s %10d %12d %12d %8d %9d %11d %8d %11d%n", l.kind(), l.oldTotal(), l.acknowledged(),
                    l.deadLettered(), l.missing(), l.truncated(), l.readBackChecked(), l.readBackFailed(), l.notVerifiable()));
        }
        stages.stream().filter(s -> !"done".equals(s.state()))
                .forEach(s -> out.append("stage ").append(s.stage()).append(" ended ").append(s.state()).append('\n'));
        report.differences().forEach(d -> out.append("  ").append(d.kind()).append(' ').append(d.id()).append(": ").append(d.problem()).append('\n'));
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
