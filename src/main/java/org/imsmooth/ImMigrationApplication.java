package org.imsmooth;

import java.util.Arrays;

import org.imsmooth.ops.bench.ImportBenchmark;
import org.imsmooth.ops.bench.SyncToImBenchmark;
import org.imsmooth.ops.bench.SyncToOldBenchmark;
import org.imsmooth.sandbox.standalone.SandboxStandalone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The migration service: import pipelines, two-way sync, and (when enabled) the built-in IM sandbox.
 * {@code java -jar im-migration.jar sandbox} starts only the sandbox, for dry runs against a
 * production-like setup; {@code java -jar im-migration.jar bench} runs the import benchmark,
 * {@code bench-sync-to-im} the old -> IM sync benchmark and {@code bench-sync-to-old} the IM -> old
 * system one (README "Benchmarks").
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ImMigrationApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "sandbox".equals(args[0])) {
            SandboxStandalone.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "bench-sync-to-old".equals(args[0])) {
            SyncToOldBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "bench".equals(args[0])) {
            ImportBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "bench-sync-to-im".equals(args[0])) {
            SyncToImBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(ImMigrationApplication.class, args);
    }
}
