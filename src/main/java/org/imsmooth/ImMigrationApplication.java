package org.imsmooth;

import java.util.Arrays;

import org.imsmooth.ops.bench.ImportBenchmark;
import org.imsmooth.ops.bench.ScaleBenchmark;
import org.imsmooth.ops.bench.SyncToImBenchmark;
import org.imsmooth.ops.bench.SyncToOldBenchmark;
import org.imsmooth.sandbox.standalone.SandboxStandalone;
import org.springframework.boot.ExitCodeGenerator;
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
        if (args.length > 0 && "bench-scale".equals(args[0])) {
            ScaleBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "bench-sync-to-im".equals(args[0])) {
            SyncToImBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        try {
            SpringApplication.run(ImMigrationApplication.class, args);
        } catch (RuntimeException failedToStart) {
            // Spring has reported it (one line for our configuration errors); the exit code says which kind
            // of failure it was: Spring's own hand-over of an ExitCodeGenerator's code publishes an event on
            // the failed context, which itself fails, and the process would exit 1 ("not balanced")
            int code = exitCodeOf(failedToStart);
            if (code != 0) {
                System.exit(code);
            }
            throw failedToStart;
        }
    }

    /** The exit code an exception in the cause chain asks for (configuration errors: 2), or 0. */
    static int exitCodeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ExitCodeGenerator generator) {
                return generator.getExitCode();
            }
        }
        return 0;
    }
}
