package org.imsmooth.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command line of {@code im-migration.jar bench}: {@code --out=FILE} (JSON; a Markdown table is
 * written next to it), {@code --quick} (small sizes, a smoke run), {@code --routes=DIR} (default
 * ./routes), {@code --xmx=512m} (the children's heap), {@code --keep} (keep the children's data
 * directories), {@code --skip-quota}, {@code --skip-unthrottled}, {@code --skip-memory}, {@code --memory-messages=SMALL,LARGE} (default 100000,1000000;
 * quick 5000,50000), {@code --memory-source=sql,files} (the old system of the memory runs: the demo database, a JSON
 * Lines export, or both: the default), {@code --sample-ms=N} (how often the IM call counters are read; default 500; the
 * per-API call timeline is written as CSV next to the results), {@code --sandbox=process|embedded} (process, the
 * default: the IM sandbox runs as its own JVM and the service reaches it over HTTP like Tencent IM, as in
 * docker-compose.yml; embedded: the service's built-in sandbox, in the measured JVM), {@code --quota-window=sliding|fixed}
 * (how the sandbox counts each API's calls/s in the quota run; default sliding, the strictest).
 */
record BenchmarkOptions(Path out, boolean quick, Path routes, String xmx, boolean keep, boolean skipQuota, boolean skipUnthrottled, boolean skipMemory,
                        long sampleMillis,
                        int memorySmall, int memoryLarge, boolean sandboxProcess, String quotaWindow,
                        java.util.Set<String> memorySources) {

    static BenchmarkOptions parse(String[] args) {
        Path out = Path.of("bench-results/import-benchmark.json");
        boolean quick = false;
        Path routes = Path.of(System.getenv().getOrDefault("BENCH_ROUTES", "routes"));
        String xmx = "512m";
        boolean keep = false;
        boolean skipQuota = false;
        boolean skipUnthrottled = false;
        boolean skipMemory = false;
        int[] memory = null;
        long sampleMillis = 500;
        boolean sandboxProcess = true;
        String quotaWindow = "sliding";
        java.util.Set<String> memorySources = java.util.Set.of("sql", "files");
        for (String arg : args) {
            if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--routes=")) {
                routes = Path.of(arg.substring("--routes=".length()));
            } else if (arg.startsWith("--xmx=")) {
                xmx = arg.substring("--xmx=".length());
            } else if (arg.equals("--keep")) {
                keep = true;
            } else if (arg.startsWith("--memory-messages=")) {
                String[] sizes = arg.substring("--memory-messages=".length()).split(",");
                memory = new int[] {Integer.parseInt(sizes[0].trim()), Integer.parseInt(sizes[1].trim())};
            } else if (arg.startsWith("--memory-source=")) {
                memorySources = java.util.Set.of(arg.substring("--memory-source=".length()).split(","));
                if (!java.util.Set.of("sql", "files").containsAll(memorySources)) {
                    throw new IllegalArgumentException("--memory-source takes sql, files or sql,files");
                }
            } else if (arg.startsWith("--sample-ms=")) {
                sampleMillis = Math.max(20, Long.parseLong(arg.substring("--sample-ms=".length()).trim()));
            } else if (arg.equals("--sandbox=process") || arg.equals("--sandbox=embedded")) {
                sandboxProcess = arg.endsWith("process");
            } else if (arg.equals("--quota-window=sliding") || arg.equals("--quota-window=fixed")) {
                quotaWindow = arg.substring("--quota-window=".length());
            } else if (arg.equals("--skip-quota")) {
                skipQuota = true;
            } else if (arg.equals("--skip-unthrottled")) {
                skipUnthrottled = true;
            } else if (arg.equals("--skip-memory")) {
                skipMemory = true;
            } else {
                throw new IllegalArgumentException("unknown option '" + arg
                        + "'; usage: bench [--out=FILE.json] [--quick] [--routes=DIR] [--xmx=512m] [--keep] [--skip-quota] [--skip-unthrottled] [--skip-memory]"
                        + " [--memory-messages=SMALL,LARGE] [--memory-source=sql,files] [--sample-ms=500] [--sandbox=process|embedded] [--quota-window=sliding|fixed]");
            }
        }
        if (!Files.isRegularFile(routes.resolve("old-system/mapping.yml"))) {
            throw new IllegalArgumentException("no routes folder at " + routes.toAbsolutePath()
                    + " (with old-system/mapping.yml): run from the project folder or pass --routes=DIR");
        }
        if (memory == null) {
            memory = quick ? new int[] {5_000, 50_000} : new int[] {100_000, 1_000_000};
        }
        return new BenchmarkOptions(out, quick, routes.toAbsolutePath(), xmx, keep, skipQuota, skipUnthrottled, skipMemory, sampleMillis, memory[0], memory[1], sandboxProcess, quotaWindow,
                memorySources);
    }
}
