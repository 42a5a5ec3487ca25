package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.imsmooth.pipeline.failure.TransientWaits;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * One-shot mode gives up with exit code 2 when the old system (a reader) or IM (a waiting stage) has
 * been failing for longer than migration.give-up-after, and not before; the service never gives up.
 */
class GiveUpWatchTest {

    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final ImportOrchestrator orchestrator = mock(ImportOrchestrator.class);
    private final TransientWaits waits = new TransientWaits(mock(RateLimitFeedback.class), new SimpleMeterRegistry());

    private GiveUpWatch watch(OneShotExit exit) {
        return new GiveUpWatch(waits, new StaticListableBeanFactory(Map.of("importOrchestrator", orchestrator))
                .getBeanProvider(ImportOrchestrator.class), exit);
    }

    private void readerFailingSince(Instant since) {
        when(orchestrator.readerFailures()).thenReturn(Map.of("accounts", new ImportOrchestrator.ReaderFailure(
                "Connection refused", Map.of("source_id", 1200), since, 7, since.plusSeconds(30))));
    }

    @Test
    void aReaderFailingLongerThanGiveUpAfterEndsAOneShotRunWithTwo() {
        readerFailingSince(Instant.now().minusSeconds(61));
        watch(new OneShotExit(true, Duration.ofMinutes(1), exits::add)).check();
        assertThat(exits).containsExactly(OneShotExit.COULD_NOT_FINISH);
    }

    @Test
    void notBeforeGiveUpAfter() {
        readerFailingSince(Instant.now().minusSeconds(30));
        GiveUpWatch watch = watch(new OneShotExit(true, Duration.ofMinutes(1), exits::add));
        watch.check();
        assertThat(exits).isEmpty();
        assertThat(watch.oldest()).hasValueSatisfying(o -> assertThat(o.problem()).contains("Connection refused", "source_id=1200"));
    }

    @Test
    void theServiceNeverGivesUp() {
        readerFailingSince(Instant.now().minus(Duration.ofDays(2)));
        OneShotExit service = new OneShotExit(false, null, exits::add);
        watch(service).check();
        service.exit(OneShotExit.COULD_NOT_FINISH, "not one-shot");
        assertThat(exits).isEmpty();
    }
}
