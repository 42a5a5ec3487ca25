package org.imsmooth.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code --im-transport=both} of {@code bench}, {@code bench-sync-to-im} and {@code bench-sync-to-old}: the two
 * IM transports measured under the same machine load. Each measured run is the command itself with one
 * transport ({@code --im-transport=jdk|camel}), a child process of the same jar, one at a time, in the order
 * jdk, camel, camel, jdk ({@code --rounds=N} runs per transport, default 2; a third round is jdk, camel again):
 * a load that rises or falls steadily through the runs weighs the same on both transports, which one run
 * after the other cannot give on a shared machine. The import benchmark does this per benchmark (quota run,
 * unthrottled, memory), so each pair of runs is minutes apart. One JSON file and a Markdown table next to
 * it hold every run's figures, each transport's mean and the ratio camel / jdk; each run's own results
 * stay in their files ({@code <out>-<part>-<n>-<transport>.json}). Exit code 0 when every run passed.
 */
final class TransportComparison {

    static final String BOTH = "--im-transport=both";
    /** The current transport first: it is the baseline of the ratio. */
    static final List<String> TRANSPORTS = List.of("jdk", "camel");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A figure of a run's results; {@code higherIsBetter} says how to read the ratio. */
    record Figure(String name, boolean higherIsBetter, Function<JsonNode, JsonNode> of) {
    }

    /** One benchmark of a command: the arguments that run only it, and the figures it gives. */
    record Part(String name, List<String> args, List<Figure> figures) {
    }

    private TransportComparison() {
    }

    static boolean requested(String[] args) {
        return Arrays.asList(args).contains(BOTH);
    }

    /** The order of the runs: jdk, camel, camel, jdk, jdk, camel, ... ({@code rounds} runs per transport). */
    static List<String> order(int rounds) {
        List<String> order = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<String> pair = new ArrayList<>(TRANSPORTS);
            if (r % 2 == 1) {
                java.util.Collections.reverse(pair);
            }
            order.addAll(pair);
        }
        return order;
    }

    /** {@code bench --im-transport=both}: the quota run, the unthrottled run and the memory runs, each interleaved. */
    static int importBenchmark(String[] args) throws Exception {
        List<String> given = Arrays.asList(args);
        List<Part> parts = new ArrayList<>();
        if (!given.contains("--skip-quota")) {
            parts.add(new Part("quota", List.of("--skip-unthrottled", "--skip-memory"), List.of(
                    new Figure("lowest API share of its quota", true, r -> lowestShare(r.path("quotaThroughput").path("apis"))),
                    new Figure("calls answered rate limited", false, r -> r.path("quotaThroughput").path("rejectedByQuota")),
                    new Figure("import wall time / lower bound", false, r -> r.path("quotaThroughput").path("wallTime").path("ratio")),
                    new Figure("reconciliation wall time / lower bound", false,
                            r -> r.path("quotaThroughput").path("reconciliation").path("ratio")),
                    new Figure("reconciliation read-back calls/s", true,
                            r -> r.path("quotaThroughput").path("reconciliation").path("callsPerSecond")))));
        }
        if (!given.contains("--skip-unthrottled")) {
            parts.add(new Part("unthrottled", List.of("--skip-quota", "--skip-memory"), List.of(
                    new Figure("unthrottled importmsg calls/s", true, r -> r.path("unthrottled").path("importmsgCallsPerSecond")))));
        }
        if (!given.contains("--skip-memory")) {
            parts.add(new Part("memory", List.of("--skip-quota", "--skip-unthrottled"), List.of(
                    new Figure("peak RSS MB, large run", false, r -> r.path("memory").path("large").path("peakRssMb")),
                    new Figure("peak RSS large / small", false, r -> r.path("memory").path("ratio")),
                    new Figure("peak RSS MB, large run, export files", false,
                            r -> r.path("memory").path("files").path("large").path("peakRssMb")),
                    new Figure("peak RSS large / small, export files", false, r -> r.path("memory").path("files").path("ratio")))));
        }
        return run("bench", args, "bench-results/import-benchmark.json", parts);
    }

    /** {@code bench-sync-to-im --im-transport=both}: the intake's steady phase and burst, interleaved. */
    static int syncToIm(String[] args) throws Exception {
        return run("bench-sync-to-im", args, "bench-results/sync-to-im-benchmark.json", List.of(new Part("sync-to-im", List.of(), List.of(
                new Figure("old → IM p50 ms", false, r -> r.path("steady").path("p50Ms")),
                new Figure("old → IM p99 ms", false, r -> r.path("steady").path("p99Ms")),
                new Figure("achieved events/s", true, r -> r.path("steady").path("achievedEventsPerSecond")),
                new Figure("burst: sustained events/s", true, r -> r.path("burst").path("sustainedEventsPerSecond")),
                new Figure("log capture p99 ms", false, r -> r.path("capture-log").path("p99Ms")),
                new Figure("polling capture p99 ms", false, r -> r.path("capture-poll").path("p99Ms"))))));
    }

    /** {@code bench-sync-to-old --im-transport=both}: callbacks written into the old system, interleaved. */
    static int syncToOld(String[] args) throws Exception {
        return run("bench-sync-to-old", args, "bench-results/sync-to-old-benchmark.json", List.of(new Part("sync-to-old", List.of(), List.of(
                new Figure("acknowledgement p50 ms", false, r -> r.path("ackP50Ms")),
                new Figure("acknowledgement p99 ms", false, r -> r.path("ackP99Ms")),
                new Figure("end to end p50 ms, group messages", false, r -> r.path("e2eGroupP50Ms")),
                new Figure("end to end p99 ms, group messages", false, r -> r.path("e2eGroupP99Ms")),
                new Figure("events/s sustained", true, r -> r.path("sustainedEventsPerSecond"))))));
    }

    private static JsonNode lowestShare(JsonNode apis) {
        double min = Double.NaN;
        for (JsonNode api : apis) {
            if (api.path("ofQuota").isNumber() && !(min <= api.path("ofQuota").asDouble())) {
                min = api.path("ofQuota").asDouble();
            }
        }
        return Double.isNaN(min) ? null : JSON.getNodeFactory().numberNode(min);
    }

    static int run(String command, String[] args, String defaultOut, List<Part> parts) throws Exception {
        Path out = Path.of(defaultOut);
        int rounds = 2;
        List<String> passOn = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()).trim());
                if (rounds < 1) {
                    throw new IllegalArgumentException("--rounds takes 1 or more");
                }
            } else if (!arg.equals(BOTH)) {
                passOn.add(arg);
            }
        }
        out = out.toAbsolutePath();
        Files.createDirectories(out.getParent());
        String base = out.getFileName().toString().replaceFirst("\\.json$", "");
        List<String> order = order(rounds);

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("command", command);
        results.put("machine", Machine.facts());
        results.put("order", order);
        List<Map<String, Object>> runs = new ArrayList<>();
        results.put("runs", runs);
        Map<String, Object> comparison = new LinkedHashMap<>();
        results.put("comparison", comparison);
        boolean allPassed = true;
        long started = System.nanoTime();
        for (Part part : parts) {
            Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
            for (int n = 0; n < order.size(); n++) {
                String transport = order.get(n);
                Path runOut = out.resolveSibling(base + "-" + part.name() + "-" + (n + 1) + "-" + transport + ".json");
                List<String> childArgs = new ArrayList<>(passOn);
                childArgs.addAll(part.args());
                childArgs.add("--im-transport=" + transport);
                childArgs.add("--out=" + runOut);
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("part", part.name());
                run.put("run", n + 1);
                run.put("transport", transport);
                run.put("loadBefore", Machine.load1m());
                System.out.printf("[bench] %s, run %d of %d: %s transport%n", part.name(), n + 1, order.size(), transport);
                long runStarted = System.nanoTime();
                int exit = child(command, childArgs);
                run.put("seconds", Math.round((System.nanoTime() - runStarted) / 1e9));
                run.put("loadAfter", Machine.load1m());
                run.put("exitCode", exit);
                run.put("results", runOut.toString());
                allPassed &= exit == 0;
                JsonNode own = Files.isRegularFile(runOut) ? JSON.readTree(runOut.toFile()) : JSON.createObjectNode();
                Map<String, Object> figures = new LinkedHashMap<>();
                for (Figure figure : part.figures()) {
                    JsonNode v = figure.of().apply(own);
                    if (v != null && v.isNumber()) {
                        figures.put(figure.name(), v.asDouble());
                        values.computeIfAbsent(figure.name(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(transport, k -> new ArrayList<>()).add(v.asDouble());
                    }
                }
                run.put("figures", figures);
                runs.add(run);
                comparison.put(part.name(), compare(part, values));
                write(out, results);
            }
        }
        results.put("benchmarkSeconds", Math.round((System.nanoTime() - started) / 1e9));
        ((Map<String, Object>) results.get("machine")).put("load1mAtEnd", Machine.load1m());
        write(out, results);
        System.out.println(Files.readString(ImportBenchmark.markdownOf(out)));
        return allPassed ? 0 : 1;
    }

    /** Per figure: each transport's values in run order, their means, and camel's mean / jdk's. */
    static Map<String, Object> compare(Part part, Map<String, Map<String, List<Double>>> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Figure figure : part.figures()) {
            Map<String, List<Double>> byTransport = values.get(figure.name());
            if (byTransport == null) {
                continue;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            for (String transport : TRANSPORTS) {
                List<Double> v = byTransport.getOrDefault(transport, List.of());
                f.put(transport, v);
                f.put(transport + "Mean", v.isEmpty() ? null : QuotaThroughput.round(v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
            }
            Object jdk = f.get("jdkMean");
            Object camel = f.get("camelMean");
            f.put("camelOverJdk", jdk instanceof Double j && camel instanceof Double c && j != 0 ? QuotaThroughput.round(c / j) : null);
            f.put("higherIsBetter", figure.higherIsBetter());
            out.put(figure.name(), f);
        }
        return out;
    }

    private static int child(String command, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(MigrationServiceProcess.launchTarget());
        cmd.add(command);
        cmd.addAll(args);
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    private static void write(Path out, Map<String, Object> results) throws Exception {
        JSON.writeValue(out.toFile(), results);
        Files.writeString(ImportBenchmark.markdownOf(out), markdown(results));
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> results) {
        Map<String, Object> machine = (Map<String, Object>) results.get("machine");
        StringBuilder md = new StringBuilder("# ").append(results.get("command")).append(": IM transports side by side\n\n");
        md.append("Machine: ").append(machine.get("cores")).append(" cores, load (1 min) ").append(machine.get("load1m")).append(" at start")
                .append(machine.containsKey("load1mAtEnd") ? ", " + machine.get("load1mAtEnd") + " at end" : "")
                .append(", ").append(machine.get("java")).append(", ").append(machine.get("date"))
                .append(". Run order per benchmark: ").append(String.join(", ", (List<String>) results.get("order")))
                .append(".\n\n| Benchmark | Figure | jdk (each run) | camel (each run) | jdk mean | camel mean | camel / jdk |\n")
                .append("|---|---|---|---|---|---|---|\n");
        ((Map<String, Map<String, Map<String, Object>>>) results.get("comparison")).forEach((part, figures) -> figures.forEach((figure, f) ->
                md.append("| ").append(part).append(" | ").append(figure).append(Boolean.TRUE.equals(f.get("higherIsBetter")) ? " (higher is better)" : " (lower is better)")
                        .append(" | ").append(list(f.get("jdk"))).append(" | ").append(list(f.get("camel"))).append(" | ")
                        .append(f.get("jdkMean")).append(" | ").append(f.get("camelMean")).append(" | ")
                        .append(f.get("camelOverJdk") == null ? "n/a" : f.get("camelOverJdk")).append(" |\n")));
        md.append("\n| Run | Benchmark | Transport | Load before → after | Seconds | Exit | Results |\n|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> run : (List<Map<String, Object>>) results.get("runs")) {
            md.append("| ").append(run.get("run")).append(" | ").append(run.get("part")).append(" | ").append(run.get("transport"))
                    .append(" | ").append(run.get("loadBefore")).append(" → ").append(run.get("loadAfter")).append(" | ")
                    .append(run.get("seconds")).append(" | ").append(run.get("exitCode")).append(" | ")
                    .append(Path.of((String) run.get("results")).getFileName()).append(" |\n");
        }
        return md.toString();
    }

    private static String list(Object values) {
        return values instanceof List<?> l && !l.isEmpty() ? l.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") : "—";
    }
}
