package org.imsmooth.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic on fixed inputs (no service, nothing timed). */
class BenchmarkCalculationsTest {

    @Test
    void steadyRateLeavesOutRampUpAndTail() {
        List<SteadyStateRate.Sample> samples = new ArrayList<>();
        // 0-2 s: idle; 2-3 s: ramp at 50/s; 3-13 s: 200/s; 13-14 s: tail at 20/s; then flat
        long count = 0;
        for (int t = 0; t <= 16_000; t += 500) {
            samples.add(new SteadyStateRate.Sample(t, count));
            int next = t + 500;
            double perSecond = next <= 2_000 ? 0 : next <= 3_000 ? 50 : next <= 13_000 ? 200 : next <= 14_000 ? 20 : 0;
            count += Math.round(perSecond / 2);
        }
        // total = 50 + 2000 + 20 = 2070; 10% (207) and 90% (1863) both fall inside the 200/s part
        SteadyStateRate.Result rate = SteadyStateRate.of(samples);
        assertThat(rate.measured()).isTrue();
        assertThat(rate.callsPerSecond()).isCloseTo(200.0, within(0.01));
        assertThat(rate.fromMillis()).isGreaterThanOrEqualTo(3_000);
        assertThat(rate.toMillis()).isLessThanOrEqualTo(13_000);
    }

    @Test
    void steadyRateIsUnknownWithoutCalls() {
        assertThat(SteadyStateRate.of(List.of()).measured()).isFalse();
        assertThat(SteadyStateRate.of(List.of(new SteadyStateRate.Sample(0, 5), new SteadyStateRate.Sample(1000, 5))).measured()).isFalse();
    }

    @Test
    void steadyRateInterpolatesBetweenSamples() {
        List<SteadyStateRate.Sample> samples = List.of(new SteadyStateRate.Sample(0, 0), new SteadyStateRate.Sample(10_000, 1000));
        SteadyStateRate.Result rate = SteadyStateRate.of(samples);
        assertThat(rate.callsPerSecond()).isCloseTo(100.0, within(1e-9));
        assertThat(rate.fromMillis()).isEqualTo(1_000);
        assertThat(rate.toMillis()).isEqualTo(9_000);
        assertThat(rate.calls()).isEqualTo(800);
    }

    @Test
    void lowerBoundIsTheLongestChainOfTheStagePlan() {
        Map<String, List<String>> plan = new LinkedHashMap<>();
        plan.put("accounts", List.of());
        plan.put("profiles", List.of("accounts"));
        plan.put("c2c-messages", List.of("accounts"));
        plan.put("c2c-read-marks", List.of("c2c-messages"));
        plan.put("groups", List.of("accounts"));
        plan.put("group-members", List.of("groups"));
        plan.put("group-unread", List.of("group-members", "c2c-messages"));
        Map<String, Long> calls = Map.of("accounts", 1200L, "profiles", 6000L, "c2c-messages", 4000L, "c2c-read-marks", 2000L,
                "groups", 1000L, "group-members", 1000L, "group-unread", 1000L);
        Map<String, Double> quota = Map.of("accounts", 100.0, "profiles", 200.0, "c2c-messages", 200.0, "c2c-read-marks", 200.0,
                "groups", 200.0, "group-members", 200.0, "group-unread", 200.0);

        QuotaLowerBound.Result bound = QuotaLowerBound.of(plan, calls, quota);

        // accounts 12 s; then profiles 30 | c2c 20 + read marks 10 = 30 | c2c 20 + unread 5 = 25 | groups 5 + members 5 + unread 5
        assertThat(bound.stageSeconds().get("accounts")).isCloseTo(12.0, within(1e-9));
        assertThat(bound.seconds()).isCloseTo(42.0, within(1e-9));
        assertThat(bound.chain()).first().isEqualTo("accounts");
        assertThat(bound.chain()).hasSize(2).last().isIn("profiles");
    }

    @Test
    void lowerBoundFollowsTheSlowestDependency() {
        Map<String, List<String>> plan = new LinkedHashMap<>();
        plan.put("a", List.of());
        plan.put("b", List.of("a"));
        plan.put("c", List.of("a"));
        plan.put("d", List.of("b", "c"));
        QuotaLowerBound.Result bound = QuotaLowerBound.of(plan, Map.of("a", 100L, "b", 100L, "c", 900L, "d", 200L),
                Map.of("a", 100.0, "b", 100.0, "c", 100.0, "d", 100.0));
        assertThat(bound.seconds()).isCloseTo(1 + 9 + 2, within(1e-9));
        assertThat(bound.chain()).containsExactly("a", "c", "d");
    }

    @Test
    void lowerBoundRejectsCyclesAndMissingQuotas() {
        Map<String, List<String>> cycle = new LinkedHashMap<>();
        cycle.put("a", List.of("b"));
        cycle.put("b", List.of("a"));
        assertThatThrownBy(() -> QuotaLowerBound.of(cycle, Map.of(), Map.of())).hasMessageContaining("cycle");
        assertThatThrownBy(() -> QuotaLowerBound.of(Map.of("a", List.of()), Map.of("a", 5L), Map.of()))
                .hasMessageContaining("no quota");
    }

    @Test
    void peakMemoryComesFromProcStatus() {
        ProcessMemory m = ProcessMemory.parse("Name:\tjava\nVmPeak:\t 4000000 kB\nVmHWM:\t  612345 kB\nVmRSS:\t  500001 kB\n");
        assertThat(m.peakRssKb()).isEqualTo(612_345);
        assertThat(m.rssKb()).isEqualTo(500_001);
    }

    @Test
    void stagePlanIsTheServicesAndEveryStageHasAnApi() throws Exception {
        Map<String, List<String>> plan = StagePlan.load();
        assertThat(plan).containsEntry("accounts", List.of()).containsEntry("group-unread", List.of("group-messages"));
        assertThat(StagePlan.API_OF_STAGE).containsKeys(plan.keySet().toArray(String[]::new));
    }

    @Test
    void stageTimesAreSecondsFromTheFirstStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        long t0 = java.time.Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode status = json.readTree("""
                {"stages": [
                  {"stage": "groups", "startedAt": "2026-11-26T10:00:00Z", "finishedAt": "2026-11-26T10:00:05.5Z"},
                  {"stage": "group-members", "startedAt": "2026-11-26T10:00:02Z", "finishedAt": "2026-11-26T10:00:11Z"}]}
                """);
        Map<String, List<SteadyStateRate.Sample>> accepted = new LinkedHashMap<>();
        accepted.put("import_group", List.of(new SteadyStateRate.Sample(t0 + 100, 0), new SteadyStateRate.Sample(t0 + 400, 30),
                new SteadyStateRate.Sample(t0 + 5_300, 1000), new SteadyStateRate.Sample(t0 + 9_000, 1000)));
        accepted.put("import_group_member", List.of(new SteadyStateRate.Sample(t0 + 100, 0), new SteadyStateRate.Sample(t0 + 5_700, 0),
                new SteadyStateRate.Sample(t0 + 5_800, 12), new SteadyStateRate.Sample(t0 + 10_900, 1000),
                new SteadyStateRate.Sample(t0 + 11_000, 1000)));
        MigrationRun.Observed run = new MigrationRun.Observed(accepted, Map.of(), Map.of(), Map.of(), status, null, 0, 0, 0, "512m", 1.0);

        Map<String, Map<String, Object>> times = StageTimes.of(List.of("groups", "group-members"), run,
                Map.of("groups", "import_group", "group-members", "import_group_member"), Map.of("groups", 5.0, "group-members", 5.0));

        assertThat(times.get("groups")).containsEntry("startedS", 0.0).containsEntry("firstCallS", 0.4)
                .containsEntry("lastCallS", 5.3).containsEntry("finishedS", 5.5).containsEntry("seconds", 5.5);
        // read ahead from 2 s, first call after groups ended
        assertThat(times.get("group-members")).containsEntry("startedS", 2.0).containsEntry("firstCallS", 5.8)
                .containsEntry("lastCallS", 10.9).containsEntry("finishedS", 11.0).containsEntry("secondsAtQuota", 5.0);

        // an API shows in the sandbox's stats only once called: its series may begin with a count, and its
        // first call came before that reading, not at the next change
        accepted.put("import_group_member", List.of(new SteadyStateRate.Sample(t0 + 5_800, 12),
                new SteadyStateRate.Sample(t0 + 5_900, 30), new SteadyStateRate.Sample(t0 + 10_900, 1000)));
        assertThat(StageTimes.of(List.of("group-members"), run, Map.of("group-members", "import_group_member"), Map.of())
                .get("group-members")).containsEntry("firstCallS", 5.8).containsEntry("lastCallS", 10.9);

        java.nio.file.Path csv = dir.resolve("t.csv");
        StageTimes.writeCsv(csv, accepted);
        List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("epochMillis,import_group,import_group_member");
        // each API's last count carries over to the times only the other was read at
        assertThat(lines).contains((t0 + 400) + ",30,0", (t0 + 5_800) + ",1000,12");
    }

    @Test
    void theSandboxRunsAsItsOwnProcessUnlessAskedToBeEmbedded() {
        assertThat(BenchmarkOptions.parse(new String[0]).sandboxProcess()).isTrue();
        assertThat(BenchmarkOptions.parse(new String[] {"--sandbox=embedded"}).sandboxProcess()).isFalse();
        assertThat(BenchmarkOptions.parse(new String[] {"--sandbox=process"}).sandboxProcess()).isTrue();
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--sandbox=remote"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--sandbox=process|embedded");
    }

    @Test
    void theQuotaRunCountsOverASlidingWindowUnlessAskedForFixedSeconds() {
        assertThat(BenchmarkOptions.parse(new String[0]).quotaWindow()).isEqualTo("sliding");
        BenchmarkOptions fixed = BenchmarkOptions.parse(new String[] {"--quota-window=fixed"});
        assertThat(QuotaThroughput.settings(fixed)).contains("--sandbox.quota-window=fixed");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--quota-window=hourly"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--quota-window=sliding|fixed");
    }
}
