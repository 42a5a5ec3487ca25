package org.imsmooth.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a run's wall time went, stage by stage: when each stage started and finished (status API)
 * and when IM saw its first and last accepted call (sandbox counters), in seconds from the first
 * stage's start. Along the critical chain, start -> first call is the stage's ramp, last call ->
 * finished its drain check, and finished -> next start the orchestrator's hand-off.
 */
final class StageTimes {

    private StageTimes() {
    }

    /** stage -> {startedS, firstCallS, lastCallS, finishedS, seconds, secondsAtQuota}. */
    static Map<String, Map<String, Object>> of(List<String> stages, MigrationRun.Observed run, Map<String, String> apiOfStage,
                                              Map<String, Double> secondsAtQuota) {
        Instant origin = null;
        for (JsonNode s : run.status().path("stages")) {
            Instant started = MigrationRun.instant(s.get("startedAt"));
            if (started != null && (origin == null || started.isBefore(origin))) {
                origin = started;
            }
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (origin == null) {
            return out;
        }
        for (String stage : stages) {
            JsonNode status = run.stage(stage);
            Map<String, Object> t = new LinkedHashMap<>();
            Double started = offset(origin, status == null ? null : MigrationRun.instant(status.get("startedAt")));
            Double finished = offset(origin, status == null ? null : MigrationRun.instant(status.get("finishedAt")));
            List<SteadyStateRate.Sample> calls = run.acceptedCalls().getOrDefault(apiOfStage.get(stage), List.of());
            t.put("startedS", started);
            t.put("firstCallS", offset(origin, firstChange(calls)));
            t.put("lastCallS", offset(origin, lastChange(calls)));
            t.put("finishedS", finished);
            t.put("seconds", started == null || finished == null ? null : QuotaThroughput.round(finished - started));
            t.put("secondsAtQuota", QuotaThroughput.round(secondsAtQuota.getOrDefault(stage, 0.0)));
            out.put(stage, t);
        }
        return out;
    }

    /** One row per sample: milliseconds, then each API's accepted calls so far. */
    static void writeCsv(Path file, Map<String, List<SteadyStateRate.Sample>> accepted) throws IOException {
        List<String> apis = new ArrayList<>(accepted.keySet());
        Map<Long, Long[]> rows = new TreeMap<>();
        for (int i = 0; i < apis.size(); i++) {
            for (SteadyStateRate.Sample s : accepted.get(apis.get(i))) {
                rows.computeIfAbsent(s.atMillis(), k -> new Long[apis.size()])[i] = s.count();
            }
        }
        // counters only grow: a time an API was not read at shows its last count
        long[] last = new long[apis.size()];
        for (Long[] row : rows.values()) {
            for (int i = 0; i < row.length; i++) {
                last[i] = row[i] == null ? last[i] : row[i];
                row[i] = last[i];
            }
        }
        StringBuilder csv = new StringBuilder("epochMillis,").append(String.join(",", apis)).append('\n');
        rows.forEach((at, counts) -> {
            csv.append(at);
            for (Long c : counts) {
                csv.append(',').append(c);
            }
            csv.append('\n');
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, csv);
    }

    /**
     * The first reading that counts a call. The sandbox's counters start at 0 and an API appears in its
     * stats only once called, so an API's series may begin with a count: its first call came before that
     * reading (at most one sample interval), not at the next change.
     */
    private static Instant firstChange(List<SteadyStateRate.Sample> samples) {
        for (SteadyStateRate.Sample s : samples) {
            if (s.count() > 0) {
                return Instant.ofEpochMilli(s.atMillis());
            }
        }
        return null;
    }

    private static Instant lastChange(List<SteadyStateRate.Sample> samples) {
        if (samples.isEmpty()) {
            return null;
        }
        long last = samples.get(samples.size() - 1).count();
        for (SteadyStateRate.Sample s : samples) {
            if (s.count() == last) {
                return s.count() == 0 ? null : Instant.ofEpochMilli(s.atMillis());
            }
        }
        return null;
    }

    private static Double offset(Instant origin, Instant at) {
        return at == null ? null : QuotaThroughput.round(Duration.between(origin, at).toMillis() / 1000.0);
    }
}
