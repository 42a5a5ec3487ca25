package org.imsmooth.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code java -jar im-migration.jar bench [--out=bench-results/import-benchmark.json] [--quick]}:
 * measures the historical import's speed and memory goals on child services (see README
 * "Benchmarks") and writes the figures, the machine facts and each goal's pass/fail as JSON, with
 * a Markdown table next to it. Exit code 0 when every goal passed, 1 otherwise, 2 on a usage error.
 */
public final class ImportBenchmark {

    private ImportBenchmark() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Boolean> goals = new LinkedHashMap<>();
        results.put("machine", Machine.facts());
        results.put("quick", options.quick());
        results.put("childXmx", options.xmx());
        List<String> jvm = new ArrayList<>(MigrationServiceProcess.heap(options.xmx()));
        jvm.addAll(MigrationServiceProcess.DOCUMENTED_JVM_OPTIONS);
        String extra = System.getenv("BENCH_CHILD_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            jvm.add(extra.trim());
        }
        results.put("childJvmOptions", jvm);
        results.put("sandbox", options.sandboxProcess() ? "own process" : "embedded in the service");
        results.put("goals", goals);
        results.put("imTransports", options.imTransports());
        long started = System.nanoTime();
        // One transport: its figures at the top level, as always. Several: each benchmark runs once per
        // transport, one right after the other (same hour, same machine load), under byTransport.<name>.
        boolean several = options.imTransports().size() > 1;
        Map<String, Map<String, Object>> byTransport = new LinkedHashMap<>();
        for (String transport : options.imTransports()) {
            byTransport.put(transport, several ? new LinkedHashMap<>() : results);
        }
        if (several) {
            results.put("byTransport", byTransport);
        }
        if (!options.skipQuota()) {
            for (String transport : options.imTransports()) {
                Map<String, Boolean> own = new LinkedHashMap<>();
                byTransport.get(transport).put("quotaThroughput", QuotaThroughput.measure(options.forTransport(transport), own));
                addGoals(goals, own, several ? transport : null);
                write(options, results, goals);
            }
        }
        if (!options.skipUnthrottled()) {
            for (String transport : options.imTransports()) {
                Map<String, Boolean> own = new LinkedHashMap<>();
                byTransport.get(transport).put("unthrottled", UnthrottledThroughput.measure(options.forTransport(transport), own));
                addGoals(goals, own, several ? transport : null);
                write(options, results, goals);
            }
        }
        if (!options.skipMemory()) {
            for (String transport : options.imTransports()) {
                Map<String, Object> memory = new LinkedHashMap<>();
                byTransport.get(transport).put("memory", memory);
                Map<String, Boolean> own = new LinkedHashMap<>();
                MemoryFootprint.measure(options.forTransport(transport), own, memory, () -> {
                    try {
                        write(options, results, goals);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot write results", e);
                    }
                });
                addGoals(goals, own, several ? transport : null);
            }
        }
        results.put("benchmarkSeconds", Math.round((System.nanoTime() - started) / 1e9));
        ((Map<String, Object>) results.get("machine")).put("load1mAtEnd", Machine.load1m());
        write(options, results, goals);
        System.out.println(Files.readString(markdownOf(options.out())));
        System.exit(goals.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1);
    }

    private static void addGoals(Map<String, Boolean> goals, Map<String, Boolean> own, String transport) {
        own.forEach((goal, pass) -> goals.put(transport == null ? goal : "[" + transport + "] " + goal, pass));
    }

    private static void write(BenchmarkOptions options, Map<String, Object> results, Map<String, Boolean> goals) throws Exception {
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), results);
        Files.writeString(markdownOf(out), BenchmarkTable.markdown(results, goals));
        System.out.println("[bench] results written to " + out);
    }

    static Path markdownOf(Path json) {
        return siblingOf(json, ".md");
    }

    /** A file next to the JSON results: its name without ".json" plus {@code suffix}. */
    static Path siblingOf(Path json, String suffix) {
        String name = json.getFileName().toString().replaceFirst("\\.json$", "");
        return json.toAbsolutePath().resolveSibling(name + suffix);
    }
}
