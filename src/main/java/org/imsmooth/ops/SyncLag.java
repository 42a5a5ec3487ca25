package org.imsmooth.ops;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Live-sync lag each way, from the timer the sync flows record ({@code imsmooth.sync.latency}, tag
 * {@code direction}): from an event's own time to its acknowledgement by the other side.
 */
@Component
public class SyncLag {

    public static final String TIMER = "imsmooth.sync.latency";
    public static final List<String> DIRECTIONS = List.of("old-to-im", "im-to-old");

    private final MeterRegistry registry;

    public SyncLag(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Per direction: {@code traffic} false until a first event was synced, else count and mean/max lag in ms. */
    public Map<String, Map<String, Object>> byDirection() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String direction : DIRECTIONS) {
            // one timer per kind of event: lag over all of them
            Collection<Timer> timers = registry.find(TIMER).tag("direction", direction).timers();
            long count = timers.stream().mapToLong(Timer::count).sum();
            Map<String, Object> lag = new LinkedHashMap<>();
            lag.put("traffic", count > 0);
            if (count > 0) {
                double totalMs = timers.stream().mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum();
                lag.put("events", count);
                lag.put("meanMs", Math.round(totalMs / count));
                // Micrometer's max decays over its distribution window: the recent worst case
                lag.put("recentMaxMs", Math.round(timers.stream().mapToDouble(t -> t.max(TimeUnit.MILLISECONDS)).max().orElse(0)));
            }
            out.put(direction, lag);
        }
        return out;
    }
}
