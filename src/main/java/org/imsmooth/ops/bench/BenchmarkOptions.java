package org.imsmooth.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command line of {@code im-migration.jar bench}: {@code --out=FILE} (JSON; a Markdown table is
 * written next to it), {@code --quick} (small sizes, a smoke run), {@code --routes=DIR} (default
 * ./routes), {@code --xmx=512m} (the children's heap), {@code --keep} (keep the children's data
 * directories), {@code --skip-quota}, {@code --skip-unthrottled}, {@code --skip-memory}, {@code --memory-messages=S,L[,XL]} (message rows of the memory runs,
 * ascending, two or three; default 100000,1000000, quick 5000,50000; flatness is judged from the smallest to each larger one),
 * {@code --memory-state=h2|postgresql} (the measured service's state database: an H2 file in its directory, the default,
 * or a fresh PostgreSQL database {@code bench_mem_<messages>_<random>} per run, made through {@code --memory-postgres=JDBC_URL}
 * (default jdbc:postgresql://127.0.0.1:5432/test, user {@code --memory-postgres-user}, default postgres, password from
 * PGPASSWORD) and dropped after the run unless {@code --keep}), {@code --rss-every-s=N} (the memory runs' RSS timeline:
 * VmHWM and VmRSS with the messages imported so far, every N seconds, default 5), {@code --memory-source=sql,files} (the old system of the memory runs: the demo database, a JSON
 * Lines export, or both: the default), {@code --sample-ms=N} (how often the IM call counters are read; default 500; the
 * per-API call timeline is written as CSV next to the results), {@code --sandbox=process|embedded} (process, the
 * default: the IM sandbox runs as its own JVM and the service reaches it over HTTP like Tencent IM, as in
 * docker-compose.yml; embedded: the service's built-in sandbox, in the measured JVM), {@code --quota-window=sliding|fixed}
 * (how the sandbox counts each API's calls/s in the quota run; default sliding, the strictest).
 */
record BenchmarkOptions(Path out, boolean quick, Path routes, String xmx, boolean keep, boolean skipQuota, boolean skipUnthrottled, boolean skipMemory,
                        long sampleMillis,
                        java.util.List<Integer> memorySizes, boolean sandboxProcess, String quotaWindow,
                        java.util.Set<String> memorySources, String memoryState, String memoryPostgres, String memoryPostgresUser,
                        int rssEverySeconds) {

    static final String DEFAULT_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    /** The smallest memory run, which the larger ones are compared with. */
    int memorySmall() {
        return memorySizes.get(0);
    }

    boolean memoryOnPostgres() {
        return "postgresql".equals(memoryState);
    }

    static BenchmarkOptions parse(String[] args) {
        Path out = Path.of("bench-results/import-benchmark.json");
        boolean quick = false;
        Path routes = Path.of(System.getenv().getOrDefault("BENCH_ROUTES", "routes"));
        String xmx = "512m";
        boolean keep = false;
        boolean skipQuota = false;
        boolean skipUnthrottled = false;
        boolean skipMemory = false;
        java.util.List<Integer> memory = null;
        String memoryState = "h2";
        String memoryPostgres = DEFAULT_POSTGRES;
        String memoryPostgresUser = "postgres";
        int rssEverySeconds = 5;
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
                memory = sizes(arg.substring("--memory-messages=".length()));
            } else if (arg.equals("--memory-state=h2") || arg.equals("--memory-state=postgresql")) {
                memoryState = arg.substring("--memory-state=".length());
            } else if (arg.startsWith("--memory-postgres=")) {
                memoryPostgres = arg.substring("--memory-postgres=".length());
                if (!memoryPostgres.startsWith("jdbc:postgresql://")) {
                    throw new IllegalArgumentException("--memory-postgres takes a jdbc:postgresql:// URL");
                }
            } else if (arg.startsWith("--memory-postgres-user=")) {
                memoryPostgresUser = arg.substring("--memory-postgres-user=".length());
            } else if (arg.startsWith("--rss-every-s=")) {
                rssEverySeconds = Math.max(1, Integer.parseInt(arg.substring("--rss-every-s=".length()).trim()));
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
                        + " [--memory-messages=S,L[,XL]] [--memory-source=sql,files] [--memory-state=h2|postgresql]"
                        + " [--memory-postgres=JDBC_URL] [--memory-postgres-user=postgres] [--rss-every-s=5] [--sample-ms=500] [--sandbox=process|embedded] [--quota-window=sliding|fixed]");
            }
        }
        if (!Files.isRegularFile(routes.resolve("old-system/mapping.yml"))) {
            throw new IllegalArgumentException("no routes folder at " + routes.toAbsolutePath()
                    + " (with old-system/mapping.yml): run from the project folder or pass --routes=DIR");
        }
        if (memory == null) {
            memory = quick ? java.util.List.of(5_000, 50_000) : java.util.List.of(100_000, 1_000_000);
        }
        return new BenchmarkOptions(out, quick, routes.toAbsolutePath(), xmx, keep, skipQuota, skipUnthrottled, skipMemory, sampleMillis, memory, sandboxProcess, quotaWindow,
                memorySources, memoryState, memoryPostgres, memoryPostgresUser, rssEverySeconds);
    }

    /** Two or three message counts, ascending. */
    static java.util.List<Integer> sizes(String csv) {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        for (String part : csv.split(",")) {
            sizes.add(Integer.parseInt(part.trim().replace("_", "")));
        }
        if (sizes.size() < 2 || sizes.size() > 3) {
            throw new IllegalArgumentException("--memory-messages takes two or three sizes, e.g. 100000,1000000,10000000");
        }
        for (int i = 1; i < sizes.size(); i++) {
            if (sizes.get(i) <= sizes.get(i - 1)) {
                throw new IllegalArgumentException("--memory-messages sizes must be ascending: " + csv);
            }
        }
        return java.util.List.copyOf(sizes);
    }
}
