package org.imsmooth.pipeline.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How far the reconciliation is, for the status page ({@code reconciliation} in
 * {@code /api/migration/status}) and the log (a line every {@code migration.reconcile.progress-log-seconds},
 * 10): its phase, the kind whose old-system rows it compares with the id map and the kind it reads IM
 * back for (the next kind's comparison runs while the previous kind is read back), per kind
 * the records read back so far of those it will read back, and the read-back calls per API and per
 * second (over the last ten seconds). Kept in memory: a restarted service reconciles again from the start.
 */
@Component
public class ReconciliationProgress {

    private static final Logger LOG = LoggerFactory.getLogger("migration.reconciliation");
    private static final int RATE_WINDOW_SECONDS = 10;

    /** One kind's read-back: records checked so far of those to check. */
    static final class Kind {
        final AtomicLong checked = new AtomicLong();
        volatile long total;
        volatile String state = "pending";
    }

    private final long logEverySeconds;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reconcile-progress");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Kind> kinds = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    /** (nanoTime, calls so far) once a second, the last ten seconds' worth. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private volatile String phase = "not started";
    private volatile String comparing;
    private volatile String readingBack;
    private volatile String sample;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private ScheduledFuture<?> tick;
    private long ticks;

    public ReconciliationProgress(@Value("${migration.reconcile.progress-log-seconds:10}") long logEverySeconds) {
        this.logEverySeconds = Math.max(1, logEverySeconds);
    }

    synchronized void start(Iterable<String> kindsInOrder, String sampled) {
        kinds.clear();
        calls.clear();
        samples.clear();
        kindsInOrder.forEach(k -> kinds.put(k, new Kind()));
        phase = "running";
        comparing = null;
        readingBack = null;
        sample = sampled;
        startedAt = Instant.now();
        finishedAt = null;
        ticks = 0;
        if (tick != null) {
            tick.cancel(false);
        }
        tick = ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** The kind now being compared with the old system and the id map. */
    void comparing(String name) {
        comparing = name;
        kind(name).state = "comparing";
    }

    /** The kind now being read back: {@code total} records will be. */
    Kind readingBack(String name, long total) {
        Kind k = kind(name);
        k.total = total;
        k.state = "reading back";
        readingBack = name;
        return k;
    }

    /** The kind's old-system rows are compared; its read-back is queued. */
    void compared(String name) {
        Kind k = kind(name);
        if ("comparing".equals(k.state)) {
            k.state = "compared";
        }
        if (name.equals(comparing)) {
            comparing = null;
        }
    }

    void kindDone(String name) {
        kind(name).state = "done";
        if (name.equals(readingBack)) {
            readingBack = null;
        }
    }

    private Kind kind(String name) {
        return kinds.computeIfAbsent(name, n -> new Kind());
    }

    /** One read-back call (or retry) to {@code api}. */
    void called(String api) {
        calls.computeIfAbsent(api, a -> new LongAdder()).increment();
    }

    synchronized void finish(boolean built) {
        phase = built ? "done" : "failed";
        finishedAt = Instant.now();
        comparing = null;
        readingBack = null;
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
        LOG.info("Reconciliation {} after {} s: {} read-back calls ({})", built ? "done" : "failed",
                Duration.between(startedAt, finishedAt).toMillis() / 1000.0, totalCalls(), callsByApi());
    }

    synchronized void tick() {
        samples.addLast(new long[] {System.nanoTime(), totalCalls()});
        while (samples.size() > RATE_WINDOW_SECONDS + 1) {
            samples.removeFirst();
        }
        if (++ticks % logEverySeconds == 0) {
            StringBuilder perKind = new StringBuilder();
            kinds.forEach((name, k) -> {
                if (!"pending".equals(k.state) && k.total > 0) {
                    perKind.append(perKind.isEmpty() ? "" : ", ").append(name).append(' ').append(k.checked.get()).append('/').append(k.total);
                }
            });
            LOG.info("Reconciliation: comparing {}, reading back {}; read back {}; {} calls/s", comparing == null ? "-" : comparing,
                    readingBack == null ? "-" : readingBack, perKind, Math.round(callsPerSecond()));
        }
    }

    private long totalCalls() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private synchronized double callsPerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
    }

    Map<String, Long> callsByApi() {
        Map<String, Long> out = new LinkedHashMap<>();
        ReadBackPool.APIS.forEach(api -> {
            LongAdder n = calls.get(api.command());
            if (n != null) {
                out.put(api.command(), n.sum());
            }
        });
        return out;
    }

    /** The {@code reconciliation} object of the status page. */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("phase", phase);
        out.put("comparing", comparing);
        out.put("readingBack", readingBack);
        out.put("sample", sample);
        out.put("startedAt", startedAt);
        out.put("finishedAt", finishedAt);
        Instant end = finishedAt != null ? finishedAt : Instant.now();
        out.put("seconds", startedAt == null ? null : Duration.between(startedAt, end).toMillis() / 1000.0);
        Map<String, Object> perKind = new LinkedHashMap<>();
        kinds.forEach((name, k) -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("state", k.state);
            line.put("checked", k.checked.get());
            line.put("total", k.total);
            perKind.put(name, line);
        });
        out.put("kinds", perKind);
        out.put("calls", callsByApi());
        out.put("callsPerSecond", finishedAt != null ? 0 : Math.round(callsPerSecond() * 10) / 10.0);
        return out;
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
    }
}
