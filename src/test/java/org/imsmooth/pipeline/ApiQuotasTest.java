package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.ImRetryableException;
import org.imsmooth.im.api.ImApi;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Adaptive pacing: documented quotas by default, halved by each rate-limit answer, never below 1. */
class ApiQuotasTest {

    @Test
    void startsAtTheDocumentedOrConfiguredQuota() {
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "50"));
        assertThat(quotas.callsPerSecond("multiaccount_import")).isEqualTo(100);
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(200);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(50);
    }

    @Test
    void rateLimitAnswersHalveTheRateOtherFailuresDoNot() {
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment());
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(100);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 70169, "internal timeout", 200));
        quotas.onFailure(new ImPermanentException(ImApi.IMPORT_MSG, 90048, "no account", 200));
        quotas.onFailure(new IllegalStateException("not an IM error"));
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(100);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_GROUP_MSG, 10006, "group rate", 200));
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(100);
        for (int i = 0; i < 20; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60019, "too frequent", 200));
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(1);
    }
}
