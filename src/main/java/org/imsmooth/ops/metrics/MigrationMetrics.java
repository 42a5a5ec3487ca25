package org.imsmooth.ops.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.imsmooth.broker.BrokerProperties;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.MigrationProperties;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * The migration's own gauges for Prometheus ({@code /actuator/prometheus}); IM calls are timed by
 * the IM client itself ({@code imsmooth.im.calls}) and sync lag by the sync flows
 * ({@code imsmooth.sync.latency}).
 * <ul>
 * <li>{@code imsmooth.import.records{stage,outcome}}: the durable counters every instance shares
 * (imported, skipped, dead_lettered, truncated), and {@code imsmooth.import.rows{stage}} (the old system's rows; a name ending in _total would read as a counter)</li>
 * <li>{@code imsmooth.queue.depth{queue}}: messages in each work queue and DLQ</li>
 * <li>{@code imsmooth.quota.calls_per_second{api,pace}}: each IM API's configured pace (quota x
 * utilization) and its current pace (lower after rate-limit answers)</li>
 * </ul>
 * Database and broker values are read at most every few seconds, however often Prometheus scrapes.
 */
@Component
public class MigrationMetrics implements MeterBinder {

    private static final long COUNTERS_MAX_AGE_MS = 2_000;
    private static final long DEPTH_MAX_AGE_MS = 5_000;

    private record Reading(double value, long atMillis) {
    }

    private final MigrationProperties plan;
    private final StageProgress progress;
    private final QueueDepth queues;
    private final BrokerProperties broker;
    private final ApiQuotas quotas;
    private final Map<String, Reading> depths = new ConcurrentHashMap<>();
    private volatile Map<String, StageProgress.Counters> counters = Map.of();
    private volatile long countersAt;

    public MigrationMetrics(MigrationProperties plan, StageProgress progress, QueueDepth queues, BrokerProperties broker,
                            ApiQuotas quotas) {
        this.plan = plan;
        this.progress = progress;
        this.queues = queues;
        this.broker = broker;
        this.quotas = quotas;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String stage : plan.stages().keySet()) {
            stageGauge(registry, stage, "imported", StageProgress.Counters::imported);
            stageGauge(registry, stage, "skipped", StageProgress.Counters::skipped);
            stageGauge(registry, stage, "dead_lettered", StageProgress.Counters::deadLettered);
            stageGauge(registry, stage, "truncated", StageProgress.Counters::truncated);
            Gauge.builder("imsmooth.import.rows", this, m -> m.counter(stage, StageProgress.Counters::total))
                    .description("Old-system rows of the stage").tag("stage", stage).register(registry);
        }
        for (String workQueue : broker.workQueues()) {
            for (String queue : List.of(workQueue, BrokerProperties.deadLetterQueueOf(workQueue))) {
                Gauge.builder("imsmooth.queue.depth", this, m -> m.depth(queue))
                        .description("Messages in the queue (-1 when the broker did not answer)")
                        .tag("queue", queue).tag("dlq", String.valueOf(queue.endsWith(BrokerProperties.DEAD_LETTER_SUFFIX)))
                        .register(registry);
            }
        }
        for (ImApi api : ImApi.values()) {
            Gauge.builder("imsmooth.quota.calls_per_second", quotas, q -> q.pace(api.command()).configured())
                    .description("Calls/s the import may make to the IM API").tag("api", api.command()).tag("pace", "configured")
                    .register(registry);
            Gauge.builder("imsmooth.quota.calls_per_second", quotas, q -> q.pace(api.command()).current())
                    .description("Calls/s the import may make to the IM API").tag("api", api.command()).tag("pace", "current")
                    .register(registry);
            FunctionCounter.builder("imsmooth.quota.late_slots", quotas, q -> q.lateSlots(api.command()))
                    .description("Call slots given up because their caller woke too late to use them (pauses, a starved CPU)")
                    .tag("api", api.command()).register(registry);
            FunctionCounter.builder("imsmooth.quota.unused_slots", quotas, q -> q.unusedSlots(api.command()))
                    .description("Call slots reserved from a shared quota that no caller of this instance took in time")
                    .tag("api", api.command()).register(registry);
        }
    }

    private void stageGauge(MeterRegistry registry, String stage, String outcome, ToDoubleFunction<StageProgress.Counters> value) {
        Gauge.builder("imsmooth.import.records", this, m -> m.counter(stage, value))
                .description("Records of the stage by outcome (durable, shared by every instance)")
                .tag("stage", stage).tag("outcome", outcome).register(registry);
    }

    private double counter(String stage, ToDoubleFunction<StageProgress.Counters> value) {
        if (System.currentTimeMillis() - countersAt > COUNTERS_MAX_AGE_MS) {
            Map<String, StageProgress.Counters> fresh = new ConcurrentHashMap<>();
            progress.all().forEach(c -> fresh.put(c.stage(), c));
            counters = fresh;
            countersAt = System.currentTimeMillis();
        }
        StageProgress.Counters c = counters.get(stage);
        return c == null ? 0 : value.applyAsDouble(c);
    }

    private double depth(String queue) {
        long now = System.currentTimeMillis();
        Reading last = depths.get(queue);
        if (last == null || now - last.atMillis() > DEPTH_MAX_AGE_MS) {
            last = new Reading(queues.of(queue), now);
            depths.put(queue, last);
        }
        return last.value();
    }
}
