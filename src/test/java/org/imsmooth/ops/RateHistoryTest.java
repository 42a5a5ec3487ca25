package org.imsmooth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RateHistoryTest {

    @Test
    void keepsOnePointPerStepAndDropsTheOldestBeyondItsCapacity() {
        RateHistory history = new RateHistory(10_000, 3);
        assertThat(history.offer(0, Map.of("accounts", 5.0))).isTrue();
        // a poll within the step adds nothing
        assertThat(history.offer(4_000, Map.of("accounts", 7.0))).isFalse();
        assertThat(history.offer(10_000, Map.of("accounts", 6.0, "friends", 2.0))).isTrue();
        history.offer(20_000, Map.of("accounts", 1.0));
        history.offer(30_000, Map.of("accounts", 0.0));
        assertThat(history.points()).extracting(RateHistory.Point::atMillis).containsExactly(10_000L, 20_000L, 30_000L);
        assertThat(history.points().get(0).total()).isEqualTo(8.0);
        assertThat(history.points().get(0).rates()).containsEntry("friends", 2.0);
    }
}
