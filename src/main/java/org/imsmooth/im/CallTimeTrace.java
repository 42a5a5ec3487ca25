package org.imsmooth.im;

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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A diagnostic, off by default ({@code im.call-trace-file}): one CSV line per IM call as its request is
 * built, {@code random,grantedNanos,sentNanos}: IM's per-call {@code random} query parameter (the sandbox's
 * quota trace, {@code sandbox.quota-trace-file}, logs it with the call's arrival, so the two files join
 * call by call), when the pacer let the call go and when its request left the client (epoch nanoseconds;
 * granted 0 when the call was not paced). It tells a refusal caused by the pacer granting more than the
 * quota in a span from one caused by calls bunched on their way to IM. Nothing secret is written.
 */
public final class CallTimeTrace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallTimeTrace.class);
    private static final ThreadLocal<long[]> GRANTED = ThreadLocal.withInitial(() -> new long[1]);
    private static volatile CallTimeTrace active;

    private final BlockingQueue<long[]> lines = new ArrayBlockingQueue<>(65_536);
    private final BufferedWriter out;
    private final Thread writer;
    private volatile boolean open = true;

    private CallTimeTrace(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.writer = new Thread(this::drain, "im-call-trace");
        writer.setDaemon(true);
        writer.start();
    }

    /** Starts tracing into {@code file} (appended); the trace before it, if any, is closed. */
    public static synchronized CallTimeTrace start(Path file) throws IOException {
        if (active != null) {
            active.close();
        }
        active = new CallTimeTrace(file);
        LOG.warn("Tracing every IM call's pacing and send times into {} (im.call-trace-file): a diagnostic", file);
        return active;
    }

    /** The pacer let this thread's next call go at {@code epochNanos} (only kept while tracing). */
    public static void granted(long epochNanos) {
        if (active != null) {
            GRANTED.get()[0] = epochNanos;
        }
    }

    /** This thread's call with IM's {@code random} leaves now. */
    static void sent(long random) {
        CallTimeTrace trace = active;
        if (trace != null) {
            long[] granted = GRANTED.get();
            Instant now = Instant.now();
            // a full queue drops the line rather than slow the call down
            trace.lines.offer(new long[] {random, granted[0], now.getEpochSecond() * 1_000_000_000L + now.getNano()});
            granted[0] = 0;
        }
    }

    private void drain() {
        List<long[]> batch = new ArrayList<>();
        try {
            while (open || !lines.isEmpty()) {
                long[] first = lines.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                lines.drainTo(batch);
                for (long[] l : batch) {
                    out.write(l[0] + "," + l[1] + "," + l[2] + "\n");
                }
                batch.clear();
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            LOG.warn("IM call trace stopped: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (active == this) {
            active = null;
        }
        open = false;
        try {
            writer.join(2_000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("IM call trace not closed cleanly: {}", e.toString());
        }
    }
}
