package org.imsmooth.ops.bench;

import java.util.List;

/**
 * The JVM options README "JVM settings" documents for the service (and the Docker image sets): the
 * throughput collector and the client compiler only (docs/benchmarks.md#jvm-settings). The benchmarks and
 * the tests that start the service in a JVM of its own run it with them, so they measure and test the
 * service as it is meant to run.
 */
public final class DocumentedJvmOptions {

    public static final List<String> OPTIONS = List.of("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1");

    private DocumentedJvmOptions() {
    }
}
