package org.imsmooth.ops.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.imsmooth.im.api.ImApi;

/**
 * Goal 4: the child's peak resident memory (VmHWM, and the largest VmRSS sampled) while importing
 * a small and a 10x larger c2c history, unthrottled, with the same -Xmx: memory must stay flat
 * (the larger run's peak within 15% of the smaller one's), since readers page through the old
 * system and nothing keeps per-record state in memory.
 */
final class MemoryFootprint {

    static final double GOAL = 1.15;

    private MemoryFootprint() {
    }

    /** @param save called after each run, so a long large run leaves the small run's figures on disk */
    static Map<String, Object> measure(BenchmarkOptions options, Map<String, Boolean> goals, Map<String, Object> out,
                                       Runnable save) throws Exception {
        int small = options.memorySmall();
        int large = options.memoryLarge();
        out.put("xmx", options.xmx());
        Map<String, Object> smallRun = run(options, small);
        out.put("small", smallRun);
        save.run();
        Map<String, Object> largeRun = run(options, large);
        out.put("large", largeRun);
        double ratio = ((Number) largeRun.get("peakRssMb")).doubleValue() / ((Number) smallRun.get("peakRssMb")).doubleValue();
        out.put("ratio", QuotaThroughput.round(ratio));
        boolean pass = ratio <= GOAL;
        out.put("pass", pass);
        goals.put("4. peak RSS flat within 15% from " + small + " to " + large + " messages", pass);
        return out;
    }

    private static Map<String, Object> run(BenchmarkOptions options, int messages) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", messages);
        out.put("loadBefore", Machine.load1m());
        MigrationRun.Observed run = new MigrationRun("memory-" + messages, options, UnthrottledThroughput.demo(messages),
                QuotaThroughput.unthrottled()).timeout(Duration.ofMinutes(40)).run();
        out.put("loadAfter", Machine.load1m());
        long peak = run.peakRssKb() > 0 ? run.peakRssKb() : run.maxRssKb();
        out.put("peakRssMb", QuotaThroughput.round(peak / 1024.0));
        out.put("maxSampledRssMb", QuotaThroughput.round(run.maxRssKb() / 1024.0));
        out.put("importSeconds", QuotaThroughput.round(run.runSeconds()));
        out.put("stateFileMb", run.stateFileMb());
        out.put("importmsgCallsPerSecond", QuotaThroughput.round(
                SteadyStateRate.of(run.acceptedCalls().getOrDefault(ImApi.IMPORT_MSG.command(), java.util.List.of())).callsPerSecond()));
        var stage = run.stage("c2c-messages");
        out.put("imported", stage == null ? null : stage.path("imported").asLong());
        return out;
    }
}
