package org.imsmooth.ops.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;

/**
 * Goals 1 and 3: a whole demo migration at the default quotas with 50 ms of injected IM latency.
 * Per API: steady-state calls/s against its quota (goal: at least 97%), rate-limit answers the
 * sandbox gave, and whether any record was lost or dead-lettered. Then the whole migration's wall
 * time (first stage start to last stage end, from the status API) against the quota-bound lower
 * bound of the stage plan (goal: within 5%). Then the reconciliation's wall time against its own
 * quota-bound lower bound (goal: within 10%, {@link ReconciliationBound}).
 */
final class QuotaThroughput {

    static final double RATE_GOAL = 0.97;
    static final double WALL_TIME_GOAL = 1.05;
    static final long LATENCY_MS = 50;

    private QuotaThroughput() {
    }

    static List<String> demo(boolean quick) {
        int scale = quick ? 10 : 1;
        return List.of(
                "--oldsystem.demo.users=" + 6000 / scale,
                "--oldsystem.demo.friends-per-user=5",
                "--oldsystem.demo.messages=" + 6000 / scale,
                "--oldsystem.demo.groups=" + 1000 / scale,
                "--oldsystem.demo.members-per-group=5",
                "--oldsystem.demo.group-messages=" + 14000 / scale);
    }

    static List<String> settings(BenchmarkOptions options) {
        // multiaccount_import takes 100 accounts a call: at that batch size the demo would make too few
        // calls to see a steady rate, so the benchmark sends 5 per call (more calls, same API)
        return List.of("--sandbox.faults.latency-ms=" + LATENCY_MS, "--sandbox.quota-window=" + options.quotaWindow(),
                "--pipeline.accounts.batch-size=5");
    }

    static Map<String, Object> measure(BenchmarkOptions options, Map<String, Boolean> goals) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latencyMs", LATENCY_MS);
        out.put("demo", demo(options.quick()));
        out.put("settings", settings(options));
        out.put("quotaWindow", options.quotaWindow());
        out.put("loadBefore", Machine.load1m());
        MigrationRun.Observed run = new MigrationRun("quota", options, demo(options.quick()), settings(options))
                // the reconciliation reads IM back at the quotas too: its report gives goal 5's figures
                .timeout(Duration.ofMinutes(30)).awaitReport(Duration.ofMinutes(15)).run();
        out.put("loadAfter", Machine.load1m());

        Map<String, List<String>> plan = StagePlan.load();
        Map<String, Object> perApi = new LinkedHashMap<>();
        Map<String, Long> calls = new LinkedHashMap<>();
        Map<String, Double> quota = new LinkedHashMap<>();
        boolean allAtQuota = true;
        boolean nothingLost = true;
        long rejected = 0;
        for (String stage : plan.keySet()) {
            ImApi api = StagePlan.API_OF_STAGE.get(stage);
            if (api == null) {
                throw new IllegalStateException("the benchmark does not know which IM API stage " + stage + " calls");
            }
            SteadyStateRate.Result rate = SteadyStateRate.of(run.acceptedCalls().getOrDefault(api.command(), List.of()));
            JsonNode status = run.stage(stage);
            long total = status == null ? -1 : status.path("total").asLong();
            long imported = status == null ? -1 : status.path("imported").asLong();
            long deadLettered = status == null ? -1 : status.path("deadLettered").asLong();
            long dlq = status == null ? -1 : status.path("dlqDepth").asLong();
            boolean atQuota = rate.measured() && rate.callsPerSecond() >= RATE_GOAL * api.defaultCallsPerSecond();
            boolean complete = imported == total && deadLettered == 0 && dlq <= 0;
            allAtQuota &= atQuota;
            nothingLost &= complete;
            rejected += run.rejectedByQuota().getOrDefault(api.command(), 0L);
            calls.put(stage, run.calls(api.command()));
            quota.put(stage, (double) api.defaultCallsPerSecond());

            Map<String, Object> a = new LinkedHashMap<>();
            a.put("stage", stage);
            a.put("quota", api.defaultCallsPerSecond());
            a.put("calls", run.calls(api.command()));
            a.put("steadyCallsPerSecond", round(rate.callsPerSecond()));
            a.put("ofQuota", round(rate.callsPerSecond() / api.defaultCallsPerSecond()));
            a.put("steadyWindowSeconds", round((rate.toMillis() - rate.fromMillis()) / 1000.0));
            a.put("rejectedByQuota", run.rejectedByQuota().getOrDefault(api.command(), 0L));
            a.put("failedCalls", run.failedCalls().getOrDefault(api.command(), 0L));
            a.put("records", total);
            a.put("imported", imported);
            a.put("deadLettered", deadLettered);
            a.put("stageSeconds", stageSeconds(status));
            a.put("pass", atQuota);
            perApi.put(api.command(), a);
        }
        out.put("apis", perApi);
        out.put("rejectedByQuota", rejected);
        out.put("nothingLostOrDeadLettered", nothingLost);
        out.put("reconciliationBalanced", run.report() == null ? null : run.report().path("balanced").asBoolean());
        Map<String, Object> reconciliation = ReconciliationBound.of(run.report());
        out.put("reconciliation", reconciliation);
        goals.put("5. reconciliation within 10% of its quota-bound lower bound (read-back calls / each API's quota)",
                reconciliation != null && Boolean.TRUE.equals(reconciliation.get("pass")));
        goals.put("1. every import API at >= 97% of its quota (50 ms latency)", allAtQuota);
        // every record of every stage imported (status counters), none dead-lettered, DLQs empty
        goals.put("1. no record lost or dead-lettered by rate limits", nothingLost);

        QuotaLowerBound.Result bound = QuotaLowerBound.of(plan, calls, quota);
        Instant first = null;
        Instant last = null;
        for (JsonNode s : run.status().path("stages")) {
            Instant started = MigrationRun.instant(s.get("startedAt"));
            Instant finished = MigrationRun.instant(s.get("finishedAt"));
            if (started != null && (first == null || started.isBefore(first))) {
                first = started;
            }
            if (finished != null && (last == null || finished.isAfter(last))) {
                last = finished;
            }
        }
        double wall = first == null || last == null ? Double.NaN : Duration.between(first, last).toMillis() / 1000.0;
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("lowerBoundSeconds", round(bound.seconds()));
        w.put("criticalChain", bound.chain());
        Map<String, Object> own = new LinkedHashMap<>();
        bound.stageSeconds().forEach((k, v) -> own.put(k, round(v)));
        w.put("stageSecondsAtQuota", own);
        w.put("measuredSeconds", round(wall));
        w.put("ratio", round(wall / bound.seconds()));
        w.put("pass", wall <= WALL_TIME_GOAL * bound.seconds());
        Map<String, String> apiOfStage = new LinkedHashMap<>();
        StagePlan.API_OF_STAGE.forEach((stage, api) -> apiOfStage.put(stage, api.command()));
        w.put("stages", StageTimes.of(List.copyOf(plan.keySet()), run, apiOfStage, bound.stageSeconds()));
        out.put("wallTime", w);
        Path timeline = ImportBenchmark.siblingOf(options.out(), "-timeline.csv");
        StageTimes.writeCsv(timeline, run.acceptedCalls());
        out.put("timelineCsv", timeline.toString());
        goals.put("3. wall time within 5% of the quota-bound lower bound", wall <= WALL_TIME_GOAL * bound.seconds());
        return out;
    }

    private static Double stageSeconds(JsonNode status) {
        if (status == null) {
            return null;
        }
        Instant started = MigrationRun.instant(status.get("startedAt"));
        Instant finished = MigrationRun.instant(status.get("finishedAt"));
        return started == null || finished == null ? null : round(Duration.between(started, finished).toMillis() / 1000.0);
    }

    static double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? v : Math.round(v * 1000) / 1000.0;
    }

    static List<String> unthrottled() {
        List<String> s = new ArrayList<>();
        s.add("--sandbox.quota.default-calls-per-second=0");
        for (ImApi api : StagePlan.API_OF_STAGE.values()) {
            s.add("--pipeline.quota." + api.command() + "=100000");
        }
        return s;
    }
}
