package org.imsmooth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.imsmooth.state.RateHistoryStore;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

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

    /** The state database keeps the points: a new service (a restart, another instance) shows the run so far. */
    @Test
    void keptPointsSurviveARestartAndAnIntervalKeepsOnePoint() {
        SingleConnectionDataSource db = new SingleConnectionDataSource("jdbc:h2:mem:rate-history-" + java.util.UUID.randomUUID(), "sa", "", true);
        try {
            new ResourceDatabasePopulator(new ClassPathResource("db/migration/V11_20__rate_history.sql")).execute(db);
            RateHistoryStore store = new RateHistoryStore(new JdbcTemplate(db));
            RateHistory before = new RateHistory(10_000, 3, store);
            before.offer(1_000_000, Map.of("accounts", 5.0));
            before.offer(1_010_000, Map.of("accounts", 7.5, "friends", 1.0));
            // another instance sampling the same interval keeps nothing more
            new RateHistory(10_000, 3, store).offer(1_012_000, Map.of("accounts", 99.0));
            before.offer(1_020_000, Map.of("accounts", 0.0));

            RateHistory after = new RateHistory(10_000, 3, store);
            after.restore(1_025_000);
            assertThat(after.points()).extracting(RateHistory.Point::atMillis).containsExactly(1_000_000L, 1_010_000L, 1_020_000L);
            assertThat(after.points().get(1).rates()).containsEntry("accounts", 7.5).containsEntry("friends", 1.0);
            // only the ring's span is read back
            RateHistory later = new RateHistory(10_000, 3, store);
            later.restore(1_045_000);
            assertThat(later.points()).extracting(RateHistory.Point::atMillis).containsExactly(1_020_000L);
        } finally {
            db.destroy();
        }
    }
}
