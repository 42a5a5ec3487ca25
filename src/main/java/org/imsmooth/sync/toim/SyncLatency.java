package org.imsmooth.sync.toim;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Timer imsmooth.sync.latency{direction=old-to-im, kind}: from the change's own time to IM's
 * acknowledgement. Same tag keys and kind labels as the IM -> old direction (Prometheus refuses one
 * metric name with two sets of tag keys).
 */
@Component
public class SyncLatency {

    public static final String METRIC = "imsmooth.sync.latency";

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public SyncLatency(MeterRegistry registry) {
        this.registry = registry;
    }

    public void acknowledged(OldSystemChange change) {
        long millis = System.currentTimeMillis() - change.happenedAt();
        // a clock running ahead of the old system's must not make a negative duration
        timers.computeIfAbsent(kindLabel(change), kind -> Timer.builder(METRIC).tag("direction", "old-to-im").tag("kind", kind)
                .description("Time from a change in the old system to its acknowledgement by IM")
                .register(registry)).record(Duration.ofMillis(Math.max(0, millis)));
    }

    /** c2c-message, group-message, or group-created / -destroyed / -changed / members-joined / members-left. */
    static String kindLabel(OldSystemChange change) {
        return switch (change.change()) {
            case OldSystemChange.C2C_MESSAGE -> "c2c-message";
            case OldSystemChange.GROUP_MESSAGE -> "group-message";
            default -> switch (String.valueOf(change.event())) {
                case "created" -> "group-created";
                case "dismissed" -> "group-destroyed";
                case "changed" -> "group-changed";
                case "joined" -> "members-joined";
                case "left" -> "members-left";
                default -> "group-event";
            };
        };
    }
}
