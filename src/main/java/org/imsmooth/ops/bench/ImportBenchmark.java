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
        // a run stopped by a signal (e.g. a long memory run cut short) takes its children with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Boolean> goals = new LinkedHashMap<>();
        results.put("machine", Machine.facts());
        results.put("quick", options.quick());
        results.put("childXmx", options.xmx());
        List<String> jvm = new ArrayList<>(MigrationServiceProcess.heap(options.xmx()));
        jvm.addAll(DocumentedJvmOptions.OPTIONS);
        String extra = System.getenv("BENCH_CHILD_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            jvm.add(extra.trim());
        }
        results.put("childJvmOptions", jvm);
        results.put("sandbox", options.sandboxProcess() ? "own process" : "embedded in the service");
        results.put("goals", goals);
        long started = System.nanoTime();
        if (!options.skipQuota()) {
            results.put("quotaThroughput", QuotaThroughput.measure(options, goals));
            write(options, results, goals);
        }
        if (!options.skipUnthrottled()) {
            results.put("unthrottled", UnthrottledThroughput.measure(options, goals));
            write(options, results, goals);
        }
        if (!options.skipMemory()) {
            Map<String, Object> memory = new LinkedHashMap<>();
            results.put("memory", memory);
            MemoryFootprint.measure(options, goals, memory, () -> {
                try {
                    write(options, results, goals);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot write results", e);
                }
            });
        }
        results.put("benchmarkSeconds", Math.round((System.nanoTime() - started) / 1e9));
        ((Map<String, Object>) results.get("machine")).put("load1mAtEnd", Machine.load1m());
        write(options, results, goals);
        System.out.println(Files.readString(markdownOf(options.out())));
        System.exit(goals.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1);
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
