package org.imsmooth.sandbox.quota;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A diagnostic, off by default ({@code sandbox.quota-trace-file}): one CSV line per call the quota counted,
 * {@code api,random,enteredNanos,countedNanos,accepted}: the API, the call's {@code random} query parameter
 * (the service's {@code im.call-trace-file} logs it with the call's pacing and send times, so the two files
 * join call by call), when its request reached the servlet and when the quota counted it (epoch
 * nanoseconds), and whether it was accepted. A refused call's offending span is the accepted calls of
 * its API counted in the second before it.
 */
@Component
@ConditionalOnSandbox
public class QuotaTrace {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaTrace.class);

    private record Line(String api, String random, long entered, long counted, boolean accepted) {
    }

    private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(65_536);
    private final BufferedWriter out;
    private final Thread writer;
    private volatile boolean open = true;

    public QuotaTrace(SandboxProperties properties) throws IOException {
        String file = properties.getQuotaTraceFile();
        if (file == null || file.isBlank()) {
            this.out = null;
            this.writer = null;
            return;
        }
        this.out = Files.newBufferedWriter(Path.of(file), StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.writer = new Thread(this::drain, "sandbox-quota-trace");
        writer.setDaemon(true);
        writer.start();
        LOG.warn("Tracing every call's arrival and quota decision into {} (sandbox.quota-trace-file): a diagnostic", file);
    }

    public boolean enabled() {
        return out != null;
    }

    public static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** One counted call; a full queue drops the line rather than slow the call down. */
    public void record(String api, String random, long enteredNanos, long countedNanos, boolean accepted) {
        if (out != null) {
            lines.offer(new Line(api, random == null || !random.chars().allMatch(Character::isDigit) ? "" : random,
                    enteredNanos, countedNanos, accepted));
        }
    }

    private void drain() {
        List<Line> batch = new ArrayList<>();
        try {
            while (open || !lines.isEmpty()) {
                Line first = lines.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                lines.drainTo(batch);
                for (Line l : batch) {
                    out.write(l.api() + "," + l.random() + "," + l.entered() + "," + l.counted() + "," + (l.accepted() ? 1 : 0) + "\n");
                }
                batch.clear();
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            LOG.warn("sandbox quota trace stopped: {}", e.toString());
        }
    }

    @PreDestroy
    void close() throws IOException, InterruptedException {
        if (out != null) {
            open = false;
            writer.join(2_000);
            out.close();
        }
    }
}
