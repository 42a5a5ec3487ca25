package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.ImRetryableException;
import org.imsmooth.im.api.ImApi;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Adaptive pacing: documented quotas by default, a tenth less per second with rate-limit answers, never below 1. */
class ApiQuotasTest {

    @Test
    void startsAtTheDocumentedOrConfiguredQuota() {
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "50"));
        assertThat(quotas.callsPerSecond("multiaccount_import")).isEqualTo(100);
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(200);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(50);
    }

    @Test
    void aRateLimitAnswerTakesATenthOffOncePerSecondOtherFailuresDoNot() {
        AtomicLong clock = new AtomicLong(1_000_000);
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), clock::get);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(180);
        // the other calls of the same window report the same overrun: no further decrease within the second
        for (int i = 0; i < 10; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(180);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 70169, "internal timeout", 200));
        quotas.onFailure(new ImPermanentException(ImApi.IMPORT_MSG, 90048, "no account", 200));
        quotas.onFailure(new IllegalStateException("not an IM error"));
        clock.addAndGet(1_000);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(180);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_GROUP_MSG, 10006, "group rate", 200));
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(180);
    }

    @Test
    void aQuotaSharedWithOthersKeepsLoweringTheRateEverySecondButNeverBelowOne() {
        AtomicLong clock = new AtomicLong(1_000_000);
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), clock::get);
        for (int second = 0; second < 7; second++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60019, "too frequent", 200));
            clock.addAndGet(1_000);
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(96); // 200 x 0.9^7, about half within 7 s
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
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(180);
        clock.addAndGet(3_001);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }
}
