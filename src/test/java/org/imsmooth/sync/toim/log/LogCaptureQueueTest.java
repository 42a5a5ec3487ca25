package org.imsmooth.sync.toim.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.imsmooth.sync.toim.OldSystemChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of log capture: changes handed over while the broker commits go on the broker together in
 * the next transaction, in the order read; offsets wait until what was handed over is queued; a refused
 * commit is retried with the same changes.
 */
class LogCaptureQueueTest {

    /** The broker side: records each transaction's changes; the first commit can be held, or refused. */
    static final class RecordingQueue implements Consumer<List<OldSystemChange>> {
        final List<List<String>> transactions = new ArrayList<>();
        final CountDownLatch firstCommitEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        final AtomicInteger refusals = new AtomicInteger();

        @Override
        public void accept(List<OldSystemChange> page) {
            firstCommitEntered.countDown();
            try {
                releaseFirstCommit.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refusals.getAndDecrement() > 0) {
                throw new IllegalStateException("broker down");
            }
            synchronized (transactions) {
                transactions.add(page.stream().map(OldSystemChange::sourceId).toList());
            }
        }

        List<List<String>> transactions() {
            synchronized (transactions) {
                return List.copyOf(transactions);
            }
        }
    }

    private final RecordingQueue broker = new RecordingQueue();
    private final LogCaptureQueue queue = new LogCaptureQueue(broker, new SimpleMeterRegistry(), properties("queue-test"));

    @AfterEach
    void close() throws InterruptedException {
        broker.releaseFirstCommit.countDown();
        queue.close();
    }

    @Test
    void changesHandedOverDuringACommitGoOnTheBrokerTogetherInTheOrderRead() throws Exception {
        queue.submit(List.of(change("1")));
        assertThat(broker.firstCommitEntered.await(10, TimeUnit.SECONDS)).isTrue();
        // the writer is inside the first commit: these wait for the next one
        for (int i = 2; i <= 50; i++) {
            queue.submit(List.of(change(Integer.toString(i))));
        }
        broker.releaseFirstCommit.countDown();
        queue.awaitQueued();

        List<String> expectedRest = new ArrayList<>();
        for (int i = 2; i <= 50; i++) {
            expectedRest.add(Integer.toString(i));
        }
        assertThat(broker.transactions()).containsExactly(List.of("1"), expectedRest);
    }

    @Test
    void offsetsWaitUntilEveryChangeHandedOverIsOnTheBroker() throws Exception {
        queue.submit(List.of(change("a"), change("b")));
        assertThat(broker.firstCommitEntered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> offsets = CompletableFuture.runAsync(() -> {
            try {
                CaptureStateStore.awaitQueued("queue-test");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // the commit is held inside the broker call: nothing is on the broker, so the offset store cannot go on
        assertThat(broker.transactions()).isEmpty();
        assertThat(offsets).isNotDone();

        broker.releaseFirstCommit.countDown();
        offsets.get(10, TimeUnit.SECONDS);
        assertThat(broker.transactions()).containsExactly(List.of("a", "b"));
    }

    @Test
    void aRefusedCommitIsRetriedWithTheSameChangesAndNothingIsSkipped() throws Exception {
        broker.refusals.set(2);
        broker.releaseFirstCommit.countDown();
        queue.submit(List.of(change("x")));
        queue.submit(List.of(change("y")));
        queue.awaitQueued();

        List<String> queued = broker.transactions().stream().flatMap(List::stream).toList();
        assertThat(queued).containsExactly("x", "y");
    }

    @Test
    void mappingsRunSideBySideButTheirChangesGoOnTheBrokerInTheOrderRead() throws Exception {
        broker.releaseFirstCommit.countDown();
        CountDownLatch slowMayFinish = new CountDownLatch(1);
        CountDownLatch fastMapped = new CountDownLatch(1);
        queue.submitMapping(() -> {
            slowMayFinish.await(30, TimeUnit.SECONDS); // say its lookup query takes long
            return List.of(change("slow"));
        });
        queue.submitMapping(() -> {
            fastMapped.countDown();
            return List.of(change("fast"));
        });
        // the second row was mapped while the first one's mapping still ran, yet nothing overtook the first
        assertThat(fastMapped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.transactions()).isEmpty();
        slowMayFinish.countDown();
        queue.awaitQueued();
        assertThat(broker.transactions().stream().flatMap(List::stream).toList()).containsExactly("slow", "fast");
    }

    @Test
    void aMappingThatFailsIsRunAgainAndNothingOvertakesIt() throws Exception {
        broker.releaseFirstCommit.countDown();
        AtomicInteger failures = new AtomicInteger(2);
        queue.submitMapping(() -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("old database not answering");
            }
            return List.of(change("m"));
        });
        queue.submitMapping(() -> List.of(change("n")));
        queue.submitMapping(List::of); // a row that is no chat change
        queue.awaitQueued();

        assertThat(broker.transactions().stream().flatMap(List::stream).toList()).containsExactly("m", "n");
        assertThat(failures.get()).isNegative();
    }

    private static OldSystemChange change(String id) {
        return OldSystemChange.fromRow(OldSystemChange.C2C_MESSAGE, Map.of("source_id", id, "from_id", "1", "to_id", "2",
                "kind", "text", "body", "hello " + id, "happened_at", 1_700_000_000_000L));
    }

    private static LogCaptureProperties properties(String name) {
        return new LogCaptureProperties(true, "postgres", name, null, null, null, null, null, null, null, null, 1, 1000, 10, 1000, 4,
                false, Map.of());
    }
}
