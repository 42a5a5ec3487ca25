package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.ImRetryableException;
import org.imsmooth.im.api.ImApi;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Adaptive pacing: documented quotas by default, a slot given up per rate-limit answer, a tenth less per second while they persist, never below 1. */
class ApiQuotasTest {

    @Test
    void startsAtTheDocumentedOrConfiguredQuota() {
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "50"));
        assertThat(quotas.callsPerSecond("multiaccount_import")).isEqualTo(100);
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(200);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(50);
    }

    @Test
    void aSingleBurstOfRateLimitAnswersKeepsTheRateOtherFailuresDoNotCount() {
        AtomicLong clock = new AtomicLong(1_000_000);
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), clock::get);
        // the calls a stall pushed into one window: refused together, retried, no slow-down for seconds
        for (int i = 0; i < 10; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
            clock.addAndGet(50);
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 70169, "internal timeout", 200));
        quotas.onFailure(new ImPermanentException(ImApi.IMPORT_MSG, 90048, "no account", 200));
        quotas.onFailure(new IllegalStateException("not an IM error"));
        clock.addAndGet(3_000);
        // another burst after a quiet gap is again a burst
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }

    @Test
    void answersForMoreThanASecondTakeATenthOffOncePerSecond() {
        AtomicLong clock = new AtomicLong(1_000_000);
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), clock::get);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_GROUP_MSG, 10006, "group rate", 200));
        clock.addAndGet(1_000);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_GROUP_MSG, 10006, "group rate", 200));
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(180);
        // the other calls of the same window report the same overrun: no further decrease within the second
        for (int i = 0; i < 10; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_GROUP_MSG, 10006, "group rate", 200));
        }
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(180);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }

    @Test
    void everyRateLimitAnswerGivesUpOneCallSlotForItsRetry() {
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "10"));
        quotas.acquire("importmsg");
        for (int i = 0; i < 5; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        }
        long started = System.nanoTime();
        quotas.acquire("importmsg");
        // at 10 calls/s the next slot was 100 ms away; five refused calls pushed it 500 ms further
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(500);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(10);
    }

    @Test
    void aQuotaSharedWithOthersKeepsLoweringTheRateEverySecondButNeverBelowOne() {
        AtomicLong clock = new AtomicLong(1_000_000);
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), clock::get);
        for (int second = 0; second < 8; second++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60019, "too frequent", 200));
            clock.addAndGet(1_000);
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(96); // 200 x 0.9^7 from the second answer on, about half within 8 s
        for (int second = 0; second < 100; second++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60019, "too frequent", 200));
            clock.addAndGet(1_000);
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(1);
    }

    @Test
    void quietSecondsBringTheRateBackToTheQuota() {
        AtomicLong clock = new AtomicLong(1_000_000);
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), clock::get);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        clock.addAndGet(1_000);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(180);
        clock.addAndGet(3_001);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }

    @Test
    void aSecondTakesNoMoreCallsThanThePace() {
        // the calls a pause held back wake together: what does not fit in this second waits for the next
        ApiQuotas.Window window = new ApiQuotas.Window();
        long second = 1_764_000_000_000L;
        assertThat(window.tryCount(second + 10, 3)).isTrue();
        assertThat(window.tryCount(second + 990, 3)).isTrue();
        assertThat(window.tryCount(second + 991, 3)).isTrue();
        assertThat(window.tryCount(second + 992, 3)).isFalse();
        assertThat(window.tryCount(second + 999, 3)).isFalse();
        assertThat(window.tryCount(second + 1_000, 3)).as("the next second starts a new count").isTrue();
        assertThat(window.tryCount(second + 1_001, 1)).as("a lowered pace caps sooner").isFalse();
    }
}
