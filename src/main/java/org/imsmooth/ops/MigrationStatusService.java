package org.imsmooth.ops;

import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.pipeline.failure.TransientWaits;
import org.springframework.beans.factory.ObjectProvider;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.broker.BrokerProperties;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.ops.control.StagePauseStore;
import org.imsmooth.pipeline.MigrationProperties;
import org.imsmooth.state.RateHistoryStore;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Service;

/**
 * Progress per stage: durable counters from the database (every instance counts into them), plus a
 * rate over the last minute sampled here and the ETA it implies, plus work-queue and DLQ depths.
 */
@Service
public class MigrationStatusService {

    private static final long WINDOW_MS = 60_000;
    /** Hawtio's JMX tab (the embedded broker's queues are there: Hawtio has no Artemis plugin). */
    public static final String HAWTIO_JMX = "/actuator/hawtio/jmx";
    private static final long HISTORY_SPAN_MS = 2 * 3600_000L;

    private record Sample(long atMillis, long processed) {
    }

    private final MigrationProperties plan;
    private final StageProgress progress;
    private final QueueDepth queues;
    private final StagePauseStore pauses;
    private final BrokerProperties broker;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();
    private final TransientWaits waits;
    private final ObjectProvider<ImportOrchestrator> orchestrator;
    private final RateHistory history;

    public MigrationStatusService(MigrationProperties plan, StageProgress progress, QueueDepth queues, StagePauseStore pauses,
                                  BrokerProperties broker, TransientWaits waits, ObjectProvider<ImportOrchestrator> orchestrator,
                                  RateHistoryStore stored) {
        this.waits = waits;
        this.orchestrator = orchestrator;
        this.broker = broker;
        this.plan = plan;
        this.progress = progress;
        this.queues = queues;
        this.pauses = pauses;
        // two hours at the progress interval (the progress log samples at it, so the history fills with no page open)
        long step = Math.max(1, plan.progressInterval().toMillis());
        // kept in the state database: after a restart the chart still shows the whole run
        this.history = new RateHistory(step, (int) Math.max(1, Math.min(100_000, HISTORY_SPAN_MS / step)), stored);
        history.restore(System.currentTimeMillis());
    }

    /** The rate history (one point per progress interval, the last two hours). */
    public RateHistory history() {
        return history;
    }

    public List<StageStatus> stages() {
        List<StageStatus> out = new ArrayList<>();
        var paused = pauses.paused();
        for (String stage : plan.stages().keySet()) {
            StageProgress.Counters c = progress.of(stage).orElse(
                    new StageProgress.Counters(stage, "pending", 0, 0, 0, 0, 0, null, null));
            long processed = c.imported() + c.deadLettered();
            // a finished stage imports nothing more: its last minute's falling average is no rate
            double rate = "done".equals(c.state()) ? 0 : rate(stage, processed);
            long remaining = Math.max(0, c.total() - processed);
            Long eta = "done".equals(c.state()) ? Long.valueOf(0) : rate > 0 ? Long.valueOf(Math.round(remaining / rate)) : null;
            double percent = c.total() <= 0 ? ("done".equals(c.state()) ? 100 : 0) : Math.min(100.0, 100.0 * processed / c.total());
            String queue = "im.import." + stage;
            String state = c.state();
            String problem = null;
            Instant since = null;
            Map<String, Object> cursor = null;
            ImportOrchestrator import_ = orchestrator.getIfAvailable();
            var failure = import_ == null ? java.util.Optional.<ImportOrchestrator.ReaderFailure>empty() : import_.readerFailure(stage);
            var wait = waits.of(stage);
            if (ImportOrchestrator.FAILED.equals(state) && failure.isPresent()) {
                problem = failure.get().error();
                since = failure.get().since();
                cursor = failure.get().cursor();
            } else if (wait.isPresent() && !ImportOrchestrator.DONE.equals(state)) {
                state = "waiting";
                problem = wait.get().cause();
                since = wait.get().since();
            }
            out.add(new StageStatus(stage, state, paused.contains(stage), c.total(), c.imported(), c.skipped(), c.deadLettered(), c.truncated(),
                    remaining, Math.round(percent * 10) / 10.0, Math.round(rate * 10) / 10.0, eta,
                    queues.of(queue), queues.of(BrokerProperties.deadLetterQueueOf(queue)), c.startedAt(), c.finishedAt(),
                    problem, since, cursor));
        }
        Map<String, Double> rates = new java.util.LinkedHashMap<>();
        out.forEach(s -> rates.put(s.stage(), s.rate()));
        history.offer(Instant.now().toEpochMilli(), rates);
        return out;
    }

    /** Depth of every work queue's DLQ (import stages and both sync directions), in configuration order. */
    public List<Map<String, Object>> deadLetterQueues() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String workQueue : broker.workQueues()) {
            String dlq = BrokerProperties.deadLetterQueueOf(workQueue);
            Map<String, Object> q = new java.util.LinkedHashMap<>();
            q.put("queue", dlq);
            q.put("depth", queues.of(dlq));
            // where Hawtio shows it: its JMX tab, whose tree search box finds the node by the queue's name
            q.put("mbean", "org.apache.activemq.artemis:broker=\"" + broker.name() + "\",component=addresses,address=\"" + dlq
                    + "\",subcomponent=queues,routing-type=\"anycast\",queue=\"" + dlq + "\"");
            q.put("hawtio", HAWTIO_JMX);
            out.add(q);
        }
        return out;
    }

    private double rate(String stage, long processed) {
        long now = Instant.now().toEpochMilli();
        Deque<Sample> window = samples.computeIfAbsent(stage, s -> new ArrayDeque<>());
        synchronized (window) {
            window.addLast(new Sample(now, processed));
            while (window.size() > 2 && now - window.peekFirst().atMillis() > WINDOW_MS) {
                window.removeFirst();
            }
            Sample first = window.peekFirst();
            long spanMs = now - first.atMillis();
            return spanMs < 500 ? 0 : (processed - first.processed()) * 1000.0 / spanMs;
        }
    }
}
