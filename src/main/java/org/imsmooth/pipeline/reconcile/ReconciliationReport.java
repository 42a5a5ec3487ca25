package org.imsmooth.pipeline.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the old system holds, what IM acknowledged (the id map of accepted calls), and what IM lets
 * us read back, per data kind, with every difference listed. It balances when every stage is done, and
 * every record is imported (and not contradicted by IM's read-back) or dead-lettered as invalid data.
 * {@code sample} says which acknowledged records were read back ({@code migration.reconcile.sample}),
 * {@code seconds} how long the reconciliation took and {@code readBackCalls} the calls it made per API
 * (with retries): their quota-bound lower bound is the sum over the APIs of calls / quota.
 */
public record ReconciliationReport(Instant at, boolean balanced, String sample, double seconds, Map<String, Long> readBackCalls,
                                   List<KindLine> kinds, List<Difference> differences, int differencesOmitted) {

    /**
     * @param oldTotal        rows the old system holds for this kind
     * @param acknowledged    accepted by IM (id map "done")
     * @param deadLettered    invalid data, rejected with a reason (id map "rejected", in the stage's DLQ)
     * @param failed          dead-lettered for a reason that is not invalid data (id map "failed"): not balanced
     * @param deadLetteredTooEarly dead-lettered because a record it refers to was not imported yet, which IM holds
     *                        now: the service's fault (a stage declared done before its records were in IM), not
     *                        invalid data; not balanced until they are replayed from the stage's DLQ
     * @param missing         neither: lost or not yet imported
     * @param truncated       imported with a text field cut to IM's limit
     * @param readBackChecked records verified by reading IM back
     * @param readBackFailed  of those, the ones IM does not show as imported
     * @param notVerifiable   acknowledged but outside what IM lets us read (e.g. roaming window)
     * @param note            how this kind was verified
     */
    public record KindLine(String kind, long oldTotal, long acknowledged, long deadLettered, long failed, long deadLetteredTooEarly,
                           long missing, long truncated,
                           long readBackChecked, long readBackFailed, long notVerifiable, String note) {
    }

    /** One difference: the kind, the record (or conversation) and what is wrong. */
    public record Difference(String kind, String id, String problem) {
    }
}
