package org.imsmooth.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The reconciliation's quota-bound lower bound: the sum over the read-back APIs of calls / quota. */
class ReconciliationBoundTest {

    @Test
    @SuppressWarnings("unchecked")
    void theBoundSumsEachApisCallsOverItsQuotaAndTheGoalIsTenPercent() throws Exception {
        var report = new ObjectMapper().readTree("""
                {"balanced": true, "sample": "all acknowledged records read back", "seconds": 54.0,
                 "readBackCalls": {"account_check": 60, "friend_get": 6000, "admin_getroammsg": 4000}}""");
        Map<String, Object> figures = ReconciliationBound.of(report);
        // (60 + 6000 + 4000) / 200 per second
        assertThat(figures.get("lowerBoundSeconds")).isEqualTo(50.3);
        assertThat(figures.get("readBackCalls")).isEqualTo(10_060L);
        assertThat(figures.get("ratio")).isEqualTo(1.074);
        assertThat(figures.get("pass")).isEqualTo(true);
        assertThat(((Map<String, Map<String, Object>>) figures.get("apis")).get("friend_get")).containsEntry("secondsAtQuota", 30.0);

        var slow = new ObjectMapper().readTree("""
                {"balanced": true, "seconds": 560.0, "readBackCalls": {"friend_get": 6000}}""");
        assertThat(ReconciliationBound.of(slow).get("pass")).isEqualTo(false);
        assertThat(ReconciliationBound.of(null)).isNull();
    }
}
