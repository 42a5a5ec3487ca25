package org.imsmooth.ops.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.imsmooth.im.api.ImApi;

/**
 * Goal 4: the child's peak resident memory (VmHWM, and the largest VmRSS sampled) while importing
 * c2c histories of two or three sizes ({@code --memory-messages=S,L[,XL]}), unthrottled, with the
 * same -Xmx: memory must stay flat (each larger run's peak within 15% of the smallest one's), since
 * readers page through the old system and nothing keeps per-record state in memory. Measured for
 * both old-system sources ({@code --memory-source=sql,files}): the demo database, and a JSON Lines
 * export in the canonical format (docs/files.md) read through {@code routes/old-system/files.yml}.
 * The state database is an H2 file or a fresh PostgreSQL database per run ({@code --memory-state}).
 * Each run records an RSS timeline (VmRSS and VmHWM against rows imported so far) and the results
 * are written as it grows, so a long run that is stopped still shows memory against messages.
 */
final class MemoryFootprint {

    static final double GOAL = 1.15;
    /** The measured service's heap is touched at start ({@code JDK_JAVA_OPTIONS}), so every run's RSS includes all of it. */
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";
    /** How often a growing timeline is written to the results file. */
    private static final long SAVE_EVERY_MS = 60_000;
    /** How often the bench analyzes a PostgreSQL state database when the server's autovacuum is off. */
    private static final long ANALYZE_EVERY_MS = 120_000;

    private MemoryFootprint() {
    }

    /** @param save called after each run and while one runs, so a long run leaves what it saw on disk */
    static Map<String, Object> measure(BenchmarkOptions options, Map<String, Boolean> goals, Map<String, Object> out,
                                       Runnable save) throws Exception {
        out.put("xmx", options.xmx());
        out.put("state", options.memoryOnPostgres() ? "PostgreSQL (" + options.memoryPostgres() + ", a database per run)" : "H2 file");
        out.put("rssEverySeconds", options.rssEverySeconds());
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

    /** One memory run of a given size, from one kind of old system, its figures put into {@code out} as they come. */
    private interface SizedRun {
        void run(BenchmarkOptions options, int messages, Map<String, Object> out, Runnable save) throws Exception;
    }

    /** A run per size from the same old system; the goal is each larger run's peak RSS over the smallest one's. */
    private static void measure(BenchmarkOptions options, Map<String, Boolean> goals, Map<String, Object> out,
                                Runnable save, SizedRun sized, String source) throws Exception {
        List<Map<String, Object>> runs = new java.util.ArrayList<>();
        out.put("runs", runs);
        Map<String, Object> ratios = new LinkedHashMap<>();
        out.put("ratios", ratios);
        boolean allPass = true;
        String state = options.memoryOnPostgres() ? ", state on PostgreSQL" : "";
        for (int messages : options.memorySizes()) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("messages", messages);
            run.put("finished", false);
            runs.add(run);
            sized.run(options, messages, run, save);
            run.put("finished", true);
            if (runs.size() > 1) {
                double ratio = ((Number) run.get("peakRssMb")).doubleValue() / ((Number) runs.get(0).get("peakRssMb")).doubleValue();
                ratios.put(String.valueOf(messages), QuotaThroughput.round(ratio));
                boolean pass = ratio <= GOAL;
                allPass &= pass;
                goals.put("4. peak RSS flat within 15% from " + options.memorySmall() + " to " + messages + " messages" + source + state, pass);
            }
            out.put("pass", allPass);
            save.run();
        }
    }

    private static void runFiles(BenchmarkOptions options, int messages, Map<String, Object> out, Runnable save) throws Exception {
        java.nio.file.Path export = java.nio.file.Files.createTempDirectory("imsmooth-export-" + messages + "-");
        try {
            long written = System.nanoTime();
            long bytes = JsonLinesExport.write(export, 1000, messages);
            out.put("exportMb", QuotaThroughput.round(bytes / 1048576.0));
            out.put("exportWriteSeconds", QuotaThroughput.round((System.nanoTime() - written) / 1e9));
            // the files mapping sets oldsystem.kind=files: no demo database is generated
            List<String> source = List.of("--OLD_SYSTEM_MAPPING=" + options.routes().resolve("old-system/files.yml"),
                    "--OLD_SYSTEM_FILES=" + export.toAbsolutePath());
            // the export's messages span days: the children keep 10 years of roaming (MigrationServiceProcess)
            run(options, messages, "memory-files-", source, out, save);
        } finally {
            if (!options.keep()) {
                try (var files = java.nio.file.Files.walk(export)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void run(BenchmarkOptions options, int messages, Map<String, Object> out, Runnable save) throws Exception {
        run(options, messages, "memory-", UnthrottledThroughput.demo(messages), out, save);
    }

    private static void run(BenchmarkOptions options, int messages, String name, List<String> source,
                            Map<String, Object> out, Runnable save) throws Exception {
        out.put("loadBefore", Machine.load1m());
        List<Map<String, Object>> timeline = new java.util.ArrayList<>();
        out.put("timeline", timeline);
        long[] lastSave = {System.currentTimeMillis()};
        List<String> settings = new java.util.ArrayList<>(QuotaThroughput.unthrottled());
        PostgresStateDatabase state = options.memoryOnPostgres() ? PostgresStateDatabase.create(options, messages) : null;
        try {
            if (state != null) {
                settings.addAll(state.settings());
                out.put("stateDatabase", state.name());
            }
            MigrationRun migration = new MigrationRun(name + messages, options, source, settings);
            // a server without autovacuum never analyzes the state tables: the bench stands in for it
            boolean analyze = state != null && !state.serverAutovacuum();
            long[] lastAnalyze = {0};
            Map<String, String> environment = new LinkedHashMap<>(state == null ? Map.of() : state.environment());
            // the whole heap (-Xms = -Xmx) is resident from the start: the peak then shows what grows with
            // the messages, not how much of a fixed heap a run happened to touch (a short run touches less)
            environment.put("JDK_JAVA_OPTIONS", PRE_TOUCH);
            migration.environment(environment);
            out.put("heapPreTouched", true);
            if (state != null) {
                out.put("benchAnalyzesEverySeconds", analyze ? ANALYZE_EVERY_MS / 1000 : null);
            }
            // generous: with the state on PostgreSQL a loaded 2-core machine imported 25 messages/s
            migration.timeout(Duration.ofSeconds(Math.max(2400, messages / 10)))
                    .generateTimeout(Duration.ofSeconds(Math.max(900, messages / 2000)))
                    .timeline(Duration.ofSeconds(options.rssEverySeconds()), point -> {
                        timeline.add(point);
                        if (analyze && System.currentTimeMillis() - lastAnalyze[0] >= ANALYZE_EVERY_MS) {
                            lastAnalyze[0] = System.currentTimeMillis();
                            state.analyze();
                        }
                        out.put("peakRssMbSoFar", point.get("hwmMb"));
                        if (System.currentTimeMillis() - lastSave[0] >= SAVE_EVERY_MS) {
                            lastSave[0] = System.currentTimeMillis();
                            save.run();
                        }
                    });
            MigrationRun.Observed run = migration.run();
            out.put("loadAfter", Machine.load1m());
            long peak = run.peakRssKb() > 0 ? run.peakRssKb() : run.maxRssKb();
            out.put("peakRssMb", QuotaThroughput.round(peak / 1024.0));
            out.remove("peakRssMbSoFar");
            out.put("maxSampledRssMb", QuotaThroughput.round(run.maxRssKb() / 1024.0));
            out.put("importSeconds", QuotaThroughput.round(run.runSeconds()));
            if (state == null) {
                out.put("stateFileMb", run.stateFileMb());
            } else {
                out.put("stateDatabaseMb", state.sizeMb());
            }
            out.put("importmsgCallsPerSecond", QuotaThroughput.round(
                    SteadyStateRate.of(run.acceptedCalls().getOrDefault(ImApi.IMPORT_MSG.command(), java.util.List.of())).callsPerSecond()));
            var stage = run.stage("c2c-messages");
            out.put("imported", stage == null ? null : stage.path("imported").asLong());
        } finally {
            if (state != null) {
                state.close();
            }
        }
    }
}
