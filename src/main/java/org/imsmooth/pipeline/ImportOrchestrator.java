package org.imsmooth.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.state.ImportCursors;
import org.imsmooth.state.OrchestratorLease;
import org.imsmooth.state.StageProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs the import stages in dependency order. A stage goes pending -> reading (its reader route
 * walks the old system from the durable cursor) -> draining (reader done, work queue not yet empty)
 * -> done. A stage starts reading once the stages it waits for have read everything, so its first
 * batches are queued while they drain; its workers call IM only once they are done (StageGate). States live in the database, so a restarted (or another) instance resumes where the
 * import stopped: a stage found "reading" is read on from its cursor. Only the instance holding the
 * lease reads; every instance consumes the work queues.
 * <p>
 * A reader that stops on an error (the old system unreachable, a query that fails) leaves its stage
 * "failed", never "done": the status shows the error and the cursor it stopped at, and the reader is
 * started again from that cursor after a backoff that doubles up to {@code migration.retry.max-backoff-ms}.
 * The stages that wait for it wait; the import is finished only when every stage is done.
 */
@Component("importOrchestrator")
public class ImportOrchestrator {

    public static final String PENDING = "pending";
    public static final String READING = "reading";
    public static final String DRAINING = "draining";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    /** Exchange property of a reader the orchestrator started: it reads only while the reader lease is held here. */
    static final String UNDER_LEASE = "ImUnderReaderLease";

    private static final Logger LOG = LoggerFactory.getLogger(ImportOrchestrator.class);
    private volatile Duration leaseTtl = Duration.ofSeconds(30);
    /**
     * A stage's successors start within one tick of its end: the hand-off is on every dependency
     * chain, so ticks are short.
     */
    private static final long TICK_MS = 50;
    /**
     * A draining stage's end is not left to the ticks (two readings of an empty queue 50 ms apart cost
     * 50 to 100 ms per hand-off, on every dependency chain): once its queue holds at most
     * {@link #LAST_MESSAGES} (as last read, less the messages finished here since), each message a worker
     * here finishes ({@link #workerFinished}) has its queue read again {@link #QUICK_MS} later, up to {@link #QUICK_READINGS} times (the worker's transaction
     * commits just after it signals), and an empty reading is confirmed {@link #CONFIRM_MS} later.
     */
    static final long LAST_MESSAGES = 4;
    static final long QUICK_MS = 5;
    static final int QUICK_READINGS = 8;
    static final long CONFIRM_MS = 10;

    private final MigrationProperties plan;
    private final StageProgress progress;
    private final QueueDepth queues;
    private final OldSystemSource reader;
    private final OrchestratorLease lease;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final List<MigrationListener> listeners;
    private final PausedStages paused;
    private final StageGate gate;

    /** Why a stage's reader stopped, where, since when, and when it is started again. */
    public record ReaderFailure(String error, Map<String, Object> cursor, Instant since, int attempts, Instant retryAt) {
    }

    private final ImportCursors cursors;
    private final long maxBackoffMs;
    private final Map<String, ReaderFailure> readerFailures = new ConcurrentHashMap<>();
    private final Set<String> readersRunningHere = ConcurrentHashMap.newKeySet();
    /** Stages draining with their dependencies done, as the last tick saw them: their queues' last readings. */
    private final DrainWatch drains = new DrainWatch();
    /** Stages whose source gained rows (an export file added later) since their reader last looked. */
    private final Set<String> moreToRead = ConcurrentHashMap.newKeySet();
    /**
     * Stages to read again for rows added later, with the listing marks of every stage they depend on
     * (transitively) taken then: their readers wait until each of those kinds was listed again, so that
     * files landing together (new accounts and messages to them) are read in dependency order whichever
     * kind's file consumer found its file first.
     */
    private final Map<String, Map<String, Long>> awaitingListings = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile ScheduledExecutorService ticker;
    private long tickMillis = TICK_MS;

    public ImportOrchestrator(MigrationProperties plan, StageProgress progress, QueueDepth queues, OldSystemSource reader,
                              OrchestratorLease lease, CamelContext camel, ProducerTemplate producer,
                              List<MigrationListener> listeners, ObjectProvider<PausedStages> paused, StageGate gate,
                              ImportCursors cursors, @Value("${migration.retry.max-backoff-ms:30000}") long maxBackoffMs) {
        this.cursors = cursors;
        this.maxBackoffMs = maxBackoffMs;
        this.plan = plan;
        this.progress = progress;
        this.queues = queues;
        this.reader = reader;
        this.lease = lease;
        this.camel = camel;
        this.producer = producer;
        this.listeners = listeners;
        this.paused = paused.getIfAvailable(() -> PausedStages.NONE);
        this.gate = gate;
        reader.whenMoreToRead(this::moreToRead);
    }

    /**
     * The old system gained rows for a stage (docs/files.md "Files added later"): a stage that had read
     * everything (draining or done) reads again from its cursor at the next tick, the import is no longer
     * finished, and the stages after it hold their calls again until it is done; a stage still reading
     * reads on (its reader, if it is ending now, is started again).
     */
    void moreToRead(String stage) {
        if (plan.stages().containsKey(stage)) {
            moreToRead.add(stage);
        }
    }

    private void reopenStagesWithMoreToRead(Function<String, String> stateOf, Map<String, String> states) {
        for (String stage : moreToRead) {
            if (readersRunningHere.contains(stage)) {
                continue; // its reader's end sees the mark
            }
            moreToRead.remove(stage);
            String state = stateOf.apply(stage);
            if ((DONE.equals(state) || DRAINING.equals(state)) && reader.unreadRemains(stage)) {
                progress.state(stage, READING);
                states.put(stage, READING);
                Set<String> dependencies = awaitDependenciesListed(stage);
                drains.reopened(stage);
                gate.reopened();
                finished.set(false);
                LOG.info("Stage {}: the old system has more to read (a file added later): reading again from its cursor{}", stage,
                        dependencies.isEmpty() ? "" : " once " + dependencies + " are listed again");
            }
        }
    }

    /** Marks the stage's reader to wait until the stages it depends on are listed again; returns those stages. */
    private Set<String> awaitDependenciesListed(String stage) {
        Set<String> dependencies = dependenciesOf(stage);
        Map<String, Long> marks = new HashMap<>();
        for (String dependency : dependencies) {
            marks.put(dependency, reader.listingMark(dependency));
        }
        awaitingListings.put(stage, marks);
        return dependencies;
    }

    /**
     * Whether a stage read again for rows added later may start its reader: every stage it depends on
     * was listed since, and none of them gained rows (those are read again first, from the next tick).
     */
    private boolean dependenciesListed(String stage) {
        Map<String, Long> marks = awaitingListings.get(stage);
        if (marks == null) {
            return true;
        }
        if (!marks.entrySet().stream().allMatch(m -> reader.listedSince(m.getKey(), m.getValue()))
                || marks.keySet().stream().anyMatch(moreToRead::contains)) {
            return false;
        }
        awaitingListings.remove(stage);
        return true;
    }

    /** The stages {@code stage} waits for, directly or through others. */
    private Set<String> dependenciesOf(String stage) {
        Set<String> all = new java.util.LinkedHashSet<>();
        java.util.Deque<String> next = new java.util.ArrayDeque<>(plan.stages().getOrDefault(stage, List.of()));
        while (!next.isEmpty()) {
            String dependency = next.pop();
            if (all.add(dependency)) {
                next.addAll(plan.stages().getOrDefault(dependency, List.of()));
            }
        }
        return all;
    }

    /** How long a lease lasts unless renewed ({@code migration.lease-ttl}): how soon another instance takes over. */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void leaseTtl(@Value("${migration.lease-ttl:30s}") Duration ttl) {
        this.leaseTtl = ttl;
    }

    /** Starts (or resumes) the import; idempotent. Called by routes/migration.camel.yaml. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Historical import starting: {} stages {}", plan.stages().size(), plan.stages().keySet());
        listeners.forEach(MigrationListener::importStarting);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "import-orchestrator"));
        ticker.scheduleWithFixedDelay(this::safeTick, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Tests: ticks this far apart (set before {@link #start}), so what ends a stage is only what they signal. */
    void tickMillis(long millis) {
        this.tickMillis = millis;
    }

    public boolean isStarted() {
        return started.get();
    }

    public boolean isFinished() {
        return finished.get();
    }

    /** The stage's reader failure, while its stage is failed. */
    public Optional<ReaderFailure> readerFailure(String stage) {
        return Optional.ofNullable(readerFailures.get(stage));
    }

    /** Every stage whose reader failed, and why. */
    public Map<String, ReaderFailure> readerFailures() {
        return Map.copyOf(readerFailures);
    }

    public MigrationProperties plan() {
        return plan;
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("Import orchestrator tick failed, will retry: {}", e.getMessage());
        }
    }

    void tick() {
        if ((finished.get() && moreToRead.isEmpty()) || !lease.acquire(leaseTtl)) {
            drains.clear();
            return;
        }
        // every stage's state in one read: the tick runs twenty times a second
        Map<String, String> states = new HashMap<>();
        progress.all().forEach(c -> states.put(c.stage(), c.state()));
        Function<String, String> stateOf = stage -> states.getOrDefault(stage, PENDING);
        if (!moreToRead.isEmpty() && started.get()) {
            reopenStagesWithMoreToRead(stateOf, states);
        }
        if (finished.get()) {
            return;
        }
        boolean allDone = true;
        for (var stage : plan.stages().entrySet()) {
            String name = stage.getKey();
            String state = stateOf.apply(name);
            if (DONE.equals(state)) {
                drains.unwatch(name);
                continue;
            }
            allDone = false;
            // a failed reader is started again from its cursor once its backoff is over (at once after a restart)
            ReaderFailure failure = readerFailures.get(name);
            boolean backingOff = failure != null && Instant.now().isBefore(failure.retryAt());
            if (FAILED.equals(state)) {
                if (!backingOff && !readersRunningHere.contains(name) && !paused.isPaused(name)) {
                    startReader(name);
                }
                continue;
            }
            // a stage reads ahead once its dependencies have read everything (their queues drain meanwhile);
            // its workers wait in StageGate until those dependencies are done
            boolean dependenciesRead = stage.getValue().stream().allMatch(d -> DONE.equals(stateOf.apply(d))
                    || DRAINING.equals(stateOf.apply(d)));
            boolean ready = stage.getValue().stream().allMatch(d -> DONE.equals(stateOf.apply(d)));
            if (DRAINING.equals(state) && ready) {
                drains.watch(name);
            } else {
                drains.unwatch(name);
            }
            if ((PENDING.equals(state) || READING.equals(state)) && dependenciesRead && !readersRunningHere.contains(name)
                    && !paused.isPaused(name) && !backingOff && dependenciesListed(name)) {
                startReader(name);
            } else if (DRAINING.equals(state) && ready) {
                checkDrained(name);
            }
        }
        if (allDone && finished.compareAndSet(false, true)) {
            LOG.info("Historical import finished: every stage is done");
            listeners.forEach(l -> l.importFinished(progress.all()));
        }
    }

    /**
     * Called by a reader before each page it reads and before it moves its cursor: a reader runs only
     * while its instance holds the reader lease. An instance that could not renew the lease in time
     * (a pause, the state database out of reach) may find another instance reading the same stage
     * from the same cursor; it stops at once rather than read, send and move the cursor alongside.
     */
    public void readerLeaseHeld(String stage, org.apache.camel.Exchange exchange) {
        // a reader run outside the orchestrator (a test, an operator's direct call) holds no lease
        if (exchange.getProperty(UNDER_LEASE, false, Boolean.class) && !lease.held()) {
            throw new ReaderLeaseLostException(stage);
        }
    }

    /** Whether a reader of this instance runs now (tests, status). */
    public boolean readingHere(String stage) {
        return readersRunningHere.contains(stage);
    }

    private void startReader(String stage) {
        String uri = "direct:import-" + stage;
        if (camel.getRoute("import-" + stage + "-read") == null) {
            readerFailed(stage, new IllegalStateException("no reader route (import-" + stage + "-read, from " + uri + ")"));
            return;
        }
        readersRunningHere.add(stage);
        try {
            progress.start(stage, reader.total(stage));
        } catch (RuntimeException e) {
            readersRunningHere.remove(stage);
            readerFailed(stage, e);
            return;
        }
        LOG.info("Stage {}: reading the old system", stage);
        producer.asyncSend(uri, exchange -> {
            exchange.setPattern(ExchangePattern.InOnly);
            exchange.setProperty(UNDER_LEASE, true);
        }).whenComplete((result, error) -> {
            try {
                Throwable failure = error != null ? error : result.getException();
                if (leaseLost(failure)) {
                    LOG.warn("Stage {}: reader stopped, the reader lease is no longer held here (holder now: {})",
                            stage, holderName());
                } else if (failure != null) {
                    readerFailed(stage, failure);
                } else {
                    if (readerFailures.remove(stage) != null) {
                        LOG.info("Stage {}: reader recovered", stage);
                    }
                    if (moreToRead.remove(stage) && reader.unreadRemains(stage)) {
                        // a file arrived as the reader ended: the stage stays reading and its reader starts again
                        awaitDependenciesListed(stage);
                        LOG.info("Stage {}: the old system gained rows as its reader ended: reading on", stage);
                    } else {
                        progress.state(stage, DRAINING);
                        LOG.info("Stage {}: old system read, draining its work queue", stage);
                    }
                }
            } finally {
                // only once the outcome is recorded: a tick in between would start the reader again at once
                readersRunningHere.remove(stage);
            }
        });
    }

    /**
     * The stage stays failed, with the error and the cursor it stopped at (the cursor keeps what was
     * read), and its reader is started again from there after a growing backoff.
     */
    private void readerFailed(String stage, Throwable failure) {
        String error = describe(failure);
        Map<String, Object> cursor;
        try {
            cursor = cursors.load(stage).orElse(Map.of());
        } catch (RuntimeException e) {
            cursor = Map.of();
        }
        ReaderFailure previous = readerFailures.get(stage);
        int attempts = previous == null ? 1 : previous.attempts() + 1;
        long backoff = Math.min(maxBackoffMs, 1000L << Math.min(attempts - 1, 20));
        Instant now = Instant.now();
        readerFailures.put(stage, new ReaderFailure(error, cursor, previous == null ? now : previous.since(), attempts,
                now.plusMillis(backoff)));
        try {
            progress.state(stage, FAILED);
        } catch (RuntimeException e) {
            LOG.warn("Stage {}: could not record the failed state: {}", stage, e.getMessage());
        }
        LOG.error("Stage {}: reader failed at cursor {} (attempt {}): {}; reading again from there in {} ms",
                stage, cursor.isEmpty() ? "(start)" : cursor, attempts, error, backoff);
    }

    private static boolean leaseLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ReaderLeaseLostException) {
                return true;
            }
        }
        return false;
    }

    private String holderName() {
        try {
            return lease.holder().orElse("none");
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The innermost message: a database's own error is at the bottom of Spring's and Camel's wrappers. */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // a database's message may carry the whole statement: the status and the log show the error
        int statement = text.indexOf("; SQL statement:");
        text = (statement > 0 ? text.substring(0, statement) : text).replaceAll("\\s*\\R\\s*", " ").trim();
        return root == failure ? text : text + " (" + failure.getClass().getSimpleName() + ")";
    }

    /**
     * Done when the work queue reads empty twice in a row, {@link #CONFIRM_MS} or a tick apart (nothing
     * in flight or delayed), on every live node of the broker and in transit between them
     * ({@link QueueDepth#pending}).
     */
    private void checkDrained(String stage) {
        switch (drains.read(stage, queues.pending("im.import." + stage))) {
            case DRAINED -> {
                progress.finish(stage, DONE);
                gate.stageDone();
                LOG.info("Stage {}: done", stage);
            }
            // the confirming reading, sooner than the next tick
            case FIRST_EMPTY -> scheduleQuickReading(stage, 0, CONFIRM_MS);
            case NOT_EMPTY -> {
                // read again by a later tick or a worker's signal
            }
        }
    }

    /**
     * A worker of this instance finished a queue message of the stage (its transaction commits right
     * after: Camel's route policy runs before the JMS listener commits). While the stage is draining
     * with its dependencies done and its queue is down to its last messages, the queue is read again
     * at once instead of at the next tick. Workers on other instances have no such signal: their
     * stage's end is seen by the ticks.
     */
    public void workerFinished(String stage) {
        if (!drains.watched(stage)) {
            return;
        }
        drains.messageFinished(stage);
        if (watchingLastMessages(stage)) {
            scheduleQuickReading(stage, 0, QUICK_MS);
        }
    }

    /** The stage's queue depth as last read, less the messages finished here since; -1 when not watched (tests). */
    long lastDepth(String stage) {
        return drains.lastDepth(stage);
    }

    /** Whether the stage is draining with its dependencies done and its queue read down to its last messages. */
    boolean watchingLastMessages(String stage) {
        return drains.downTo(stage, LAST_MESSAGES);
    }

    private void scheduleQuickReading(String stage, int reading, long delayMs) {
        ScheduledExecutorService executor = ticker;
        if (executor == null || !drains.scheduleQuickReading(stage)) {
            return;
        }
        try {
            executor.schedule(() -> quickReading(stage, reading), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            drains.quickReadingDone(stage);
        }
    }

    /** On the orchestrator's thread, like the ticks: one drain check at a time. */
    private void quickReading(String stage, int reading) {
        drains.quickReadingDone(stage);
        try {
            if (!drains.watched(stage)) {
                return; // done, reopened, or the lease went elsewhere since
            }
            boolean confirming = drains.confirming(stage);
            checkDrained(stage);
            if (!confirming && !drains.confirming(stage) && reading + 1 < QUICK_READINGS && watchingLastMessages(stage)) {
                // the finished message's commit may not have reached the broker yet
                scheduleQuickReading(stage, reading + 1, QUICK_MS);
            }
        } catch (RuntimeException e) {
            LOG.warn("Stage {}: drain check failed, the next tick reads again: {}", stage, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
