package org.imsmooth.pipeline.reconcile;

import java.util.List;

import org.imsmooth.state.StageProgress;

/**
 * The verdict of a dry run, which imports nothing and so has nothing to reconcile with IM: per stage,
 * the old system's rows, those the real run would import ("valid") and those it would refuse (in the
 * stage's DLQ, each with its reason). Every refusal of a dry run is invalid data (nothing is called);
 * the verdict is "only invalid data" when every stage finished and each of its rows is one or the
 * other, and then a one-shot dry run exits 0.
 */
public record DryRunReport(boolean onlyInvalidData, List<StageProgress.Counters> stages) {

    public static DryRunReport of(List<StageProgress.Counters> stages) {
        boolean complete = stages.stream().allMatch(s -> "done".equals(s.state()) && s.imported() + s.deadLettered() == s.total());
        return new DryRunReport(complete, stages);
    }

    public long refused() {
        return stages.stream().mapToLong(StageProgress.Counters::deadLettered).sum();
    }

    /** The summary printed once at the end (the refused rows each had one line as they were dead-lettered). */
    public String text() {
        StringBuilder out = new StringBuilder("\nDry-run report (" + (onlyInvalidData
                ? refused() == 0 ? "BALANCED: every row is valid" : "BALANCED: only invalid data"
                : "NOT BALANCED") + ")\n");
        out.append(String.format("%-16s %10s %10s %10s %12s %s%n", "stage", "old", "valid", "refused", "unaccounted", "state"));
        for (StageProgress.Counters s : stages) {
            out.append(String.format("%-16s %10d %10d %10d %12d %s%n", s.stage(), s.total(), s.imported(), s.deadLettered(),
                    s.total() - s.imported() - s.deadLettered(), s.state()));
        }
        if (refused() > 0) {
            out.append(refused()).append(" rows the real run would refuse, each in its stage's DLQ (im.import.<stage>.DLQ) "
                    + "with its reason; GET /api/migration/stages/<stage>/dlq lists them\n");
        }
        return out.toString();
    }
}
