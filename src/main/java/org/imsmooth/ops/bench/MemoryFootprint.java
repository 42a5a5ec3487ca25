package org.imsmooth.ops.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.imsmooth.im.api.ImApi;

/**
 * Goal 4: the child's peak resident memory (VmHWM, and the largest VmRSS sampled) while importing
 * a small and a 10x larger c2c history, unthrottled, with the same -Xmx: memory must stay flat
 * (the larger run's peak within 15% of the smaller one's), since readers page through the old
 * system and nothing keeps per-record state in memory. Measured for both old-system sources
 * ({@code --memory-source=sql,files}): the demo database, and a JSON Lines export in the canonical
 * format (docs/files.md) read through {@code routes/old-system/files.yml}.
 */
final class MemoryFootprint {

    static final double GOAL = 1.15;

    private MemoryFootprint() {
    }

    /** @param save called after each run, so a long large run leaves the small run's figures on disk */
    static Map<String, Object> measure(BenchmarkOptions options, Map<String, Boolean> goals, Map<String, Object> out,
                                       Runnable save) throws Exception {
        out.put("xmx", options.xmx());
        if (options.memorySources().contains("sql")) {
            measure(options, goals, out, save, MemoryFootprint::run, "");
        }
        if (options.memorySources().contains("files")) {
            Map<String, Object> files = new LinkedHashMap<>();
            out.put("files", files);
            measure(options, goals, files, save, MemoryFootprint::runFiles, " read from JSON Lines files");
        }
        return out;
    }

    /** One memory run of a given size, from one kind of old system. */
    private interface SizedRun {
        Map<String, Object> run(BenchmarkOptions options, int messages) throws Exception;
    }

    /** Two runs, small and large, from the same old system; the goal is their peak RSS ratio. */
    private static void measure(BenchmarkOptions options, Map<String, Boolean> goals, Map<String, Object> out,
                                Runnable save, SizedRun sized, String source) throws Exception {
        int small = options.memorySmall();
        int large = options.memoryLarge();
        Map<String, Object> smallRun = sized.run(options, small);
        out.put("small", smallRun);
        save.run();
        Map<String, Object> largeRun = sized.run(options, large);
        out.put("large", largeRun);
        double ratio = ((Number) largeRun.get("peakRssMb")).doubleValue() / ((Number) smallRun.get("peakRssMb")).doubleValue();
        out.put("ratio", QuotaThroughput.round(ratio));
        boolean pass = ratio <= GOAL;
        out.put("pass", pass);
        goals.put("4. peak RSS flat within 15% from " + small + " to " + large + " messages" + source, pass);
    }

    private static Map<String, Object> runFiles(BenchmarkOptions options, int messages) throws Exception {
        java.nio.file.Path export = java.nio.file.Files.createTempDirectory("imsmooth-export-" + messages + "-");
        try {
            long bytes = JsonLinesExport.write(export, 1000, messages);
            // the files mapping sets oldsystem.kind=files: no demo database is generated
            List<String> source = List.of("--OLD_SYSTEM_MAPPING=" + options.routes().resolve("old-system/files.yml"),
                    "--OLD_SYSTEM_FILES=" + export.toAbsolutePath());
            // the export's messages span days: the children keep 10 years of roaming (MigrationServiceProcess)
            Map<String, Object> out = run(options, messages, "memory-files-", source, QuotaThroughput.unthrottled());
            out.put("exportMb", QuotaThroughput.round(bytes / 1048576.0));
            return out;
        } finally {
            if (!options.keep()) {
                try (var files = java.nio.file.Files.walk(export)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static Map<String, Object> run(BenchmarkOptions options, int messages) throws Exception {
        return run(options, messages, "memory-", UnthrottledThroughput.demo(messages), QuotaThroughput.unthrottled());
    }

    private static Map<String, Object> run(BenchmarkOptions options, int messages, String name, List<String> source,
                                           List<String> settings) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", messages);
        out.put("loadBefore", Machine.load1m());
        MigrationRun.Observed run = new MigrationRun(name + messages, options, source, settings).timeout(Duration.ofMinutes(40)).run();
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
