package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallFanOutTest {

    private final CallFanOut fanOut = new CallFanOut(8);

    @AfterEach
    void stop() {
        fanOut.stop();
    }

    @Test
    void independentGroupsAreCalledSideBySide() {
        // each call waits until all three are running at once: sequential calls would time out
        CountDownLatch allRunning = new CountDownLatch(3);
        List<DeadLetterItem> out = fanOut.each("stage", List.of("g1", "g2", "g3"), group -> {
            allRunning.countDown();
            try {
                return allRunning.await(5, TimeUnit.SECONDS) ? List.of() : List.of(item(group, "ran alone"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(out).isEmpty();
    }

    @Test
    void deadLettersOfEveryGroupAreReturnedInTheMessagesOrder() {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        byGroup.put("g1", List.of("m1", "m2"));
        byGroup.put("g2", List.of());
        byGroup.put("g3", List.of("m3"));
        List<DeadLetterItem> out = fanOut.forEach("stage", byGroup,
                (group, messages) -> messages.stream().map(m -> item(m, "refused in " + group)).toList());
        assertThat(out).extracting(DeadLetterItem::sourceId).containsExactly("m1", "m2", "m3");
        assertThat(out).extracting(DeadLetterItem::reason).containsExactly("refused in g1", "refused in g1", "refused in g3");
    }

    @Test
    void aFailedCallLetsTheOthersFinishThenTheFirstFailureIsThrown() {
        AtomicInteger finished = new AtomicInteger();
        assertThatThrownBy(() -> fanOut.each("stage", List.of("g1", "g2", "g3", "g4"), group -> {
            if (group.equals("g2") || group.equals("g4")) {
                throw new IllegalArgumentException("call for " + group + " failed");
            }
            sleep(200); // still running when g2 fails: the message must wait for it
            finished.incrementAndGet();
            return List.of();
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("call for g2 failed");
        assertThat(finished).hasValue(2);
    }

    @Test
    void aSingleGroupRunsOnTheConsumersThread() {
        Thread consumer = Thread.currentThread();
        List<DeadLetterItem> out = fanOut.each("stage", List.of("g1"),
                group -> Thread.currentThread() == consumer ? List.of() : List.of(item(group, "other thread")));
        assertThat(out).isEmpty();
        assertThat(fanOut.each("stage", List.<String>of(), group -> List.of(item(group, "called")))).isEmpty();
    }

    private static DeadLetterItem item(String sourceId, String reason) {
        return new DeadLetterItem(sourceId, null, reason, "[]");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
