package org.imsmooth.sync.toim;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Timer imsmooth.sync.stage{stage, kind}: how long after the change's own time it reached each stage on
 * its way old system -> IM ({@code committed}: the old database committed it, by the log's commit time;
 * {@code received}: log capture read it; {@code mapped}: its row was turned
 * into changes; {@code queued}: it is on the broker; {@code picked-up}: the sender took it; {@code im-ack}:
 * IM acknowledged it). Each figure is cumulative from the change's time, so where a quantile jumps
 * between two stages is where the tail comes from (bench-sync-to-im prints them).
 */
@Component
public class SyncStages {

    public static final String METRIC = "imsmooth.sync.stage";
    public static final String COMMITTED = "committed";
    public static final String RECEIVED = "received";
    public static final String MAPPED = "mapped";
    public static final String QUEUED = "queued";
    public static final String PICKED_UP = "picked-up";
    public static final String IM_ACK = "im-ack";

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public SyncStages(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The change reached {@code stage} at {@code atMillis} (Unix ms). */
    public void reached(String stage, OldSystemChange change, long atMillis) {
        if (change.happenedAt() == null) {
            return;
        }
        String kind = switch (String.valueOf(change.change())) {
            case OldSystemChange.C2C_MESSAGE -> "c2c";
            case OldSystemChange.GROUP_MESSAGE -> "group";
            default -> "event";
        };
        timers.computeIfAbsent(stage + "/" + kind, key -> Timer.builder(METRIC).tag("stage", stage).tag("kind", kind)
                .description("Time from a change in the old system to a stage of its way to IM").register(registry))
                .record(Duration.ofMillis(Math.max(0, atMillis - change.happenedAt())));
    }
}
