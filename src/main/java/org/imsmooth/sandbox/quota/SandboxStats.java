package org.imsmooth.sandbox.quota;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.springframework.stereotype.Component;

/** Call counters for GET /sandbox/admin/stats: benchmarks and tests read what the sandbox saw. */
@Component
@ConditionalOnSandbox
public class SandboxStats {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejectedByQuota = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();

    public void call(String command) { inc(calls, command); }

    public void rejected(String command) { inc(rejectedByQuota, command); }

    public void fault(String kind) { inc(faults, kind); }

    public void failed(String command) { inc(failed, command); }

    /**
     * The counters, with the sandbox's clock when they were read ({@code atMillis}): a benchmark that
     * samples them over HTTP times each sample by it, not by when its request left (on a busy machine
     * the two differ by tens of milliseconds, a few percent of a stage's measured window).
     */
    public Map<String, Object> snapshot() {
        long atMillis = System.currentTimeMillis();
        return Map.of("atMillis", atMillis, "calls", view(calls), "rejectedByQuota", view(rejectedByQuota),
                "faultsInjected", view(faults), "failedCalls", view(failed));
    }

    public void reset() {
        calls.clear();
        rejectedByQuota.clear();
        faults.clear();
        failed.clear();
    }

    private static void inc(Map<String, LongAdder> m, String key) {
        m.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> view(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
