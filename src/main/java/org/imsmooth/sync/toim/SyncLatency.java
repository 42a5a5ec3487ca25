package org.imsmooth.sync.toim;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/** Timer imsmooth.sync.latency{direction=old-to-im}: from the change's own time to IM's acknowledgement. */
@Component
public class SyncLatency {

    public static final String METRIC = "imsmooth.sync.latency";

    private final Timer timer;

    public SyncLatency(MeterRegistry registry) {
        this.timer = Timer.builder(METRIC).tag("direction", "old-to-im")
                .description("Time from a change in the old system to its acknowledgement by IM")
                .register(registry);
    }

    public void acknowledged(OldSystemChange change) {
        long millis = System.currentTimeMillis() - change.happenedAt();
        // a clock running ahead of the old system's must not make a negative duration
        timer.record(Duration.ofMillis(Math.max(0, millis)));
    }
}
