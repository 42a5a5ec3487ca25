package org.imsmooth.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's production-shaped setup: the IM sandbox in its own JVM, with the run's IM settings
 * (here: quota and latency), answering the counters the benchmark samples.
 */
class SandboxProcessTest {

    @Test
    void startsTheSandboxAsItsOwnJvmWithTheRunsImSettings() throws Exception {
        Path dir = Files.createTempDirectory("im-bench-sandbox-test-");
        try (MigrationServiceProcess sandbox = MigrationServiceProcess.startSandbox(dir, "256m",
                List.of("--sandbox.faults.latency-ms=7", "--sandbox.quota.default-calls-per-second=123"))) {
            sandbox.awaitSandboxUp(Duration.ofMinutes(2));
            JsonNode stats = sandbox.get("/sandbox/admin/stats");
            assertThat(stats.path("calls").isObject()).isTrue();
            assertThat(stats.path("atMillis").asLong()).isPositive();
            assertThat(sandbox.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(sandbox.get("/sandbox/admin/quota").path("defaultCallsPerSecond").asInt()).isEqualTo(123);
            assertThat(sandbox.get("/sandbox/admin/faults").path("latencyMs").asLong()).isEqualTo(7);
            assertThat(Files.exists(dir.resolve("sandbox.mv.db"))).as("its history store is in the run's directory").isTrue();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
