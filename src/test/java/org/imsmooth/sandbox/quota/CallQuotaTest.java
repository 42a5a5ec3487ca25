package org.imsmooth.sandbox.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.SandboxProperties;
import org.junit.jupiter.api.Test;

/** The sandbox counts an API's calls over a sliding one-second window (default) or per calendar second. */
class CallQuotaTest {

    private static final long SECOND = 1_764_000_000_000L;

    private final AtomicLong now = new AtomicLong();

    private CallQuota quota(CallQuota.Window window, int limit) {
        SandboxProperties props = new SandboxProperties();
        props.getQuota().setCallsPerSecond(Map.of(ImApi.IMPORT_MSG.command(), limit));
        props.setQuotaWindow(window);
        return new CallQuota(props, now::get);
    }

    private int accepted(CallQuota quota, int calls, long atMs) {
        now.set(atMs);
        int ok = 0;
        for (int i = 0; i < calls; i++) {
            ok += quota.tryAcquire(ImApi.IMPORT_MSG) ? 1 : 0;
        }
        return ok;
    }

    @Test
    void slidingIsTheDefault() {
        assertThat(new SandboxProperties().getQuotaWindow()).isEqualTo(CallQuota.Window.SLIDING);
    }

    @Test
    void slidingWindowHoldsNoMoreThanTheQuotaInAnySecondWhereverItStarts() {
        CallQuota quota = quota(CallQuota.Window.SLIDING, 4);
        assertThat(accepted(quota, 2, SECOND + 700)).isEqualTo(2);
        assertThat(accepted(quota, 3, SECOND + 900)).isEqualTo(2);
        // a new calendar second, but [700 ms, 1,700 ms) already holds 4 calls
        assertThat(accepted(quota, 4, SECOND + 1_100)).isZero();
        assertThat(accepted(quota, 4, SECOND + 1_699)).isZero();
        // the first two are a second old: two calls fit again, not four
        assertThat(accepted(quota, 4, SECOND + 1_700)).isEqualTo(2);
        assertThat(accepted(quota, 4, SECOND + 1_900)).isEqualTo(2);
        // refused calls are not counted
        assertThat(accepted(quota, 4, SECOND + 2_900)).isEqualTo(4);
        assertThat(quota.tryAcquire(ImApi.ACCOUNT_CHECK)).as("another API has its own count").isTrue();
    }

    @Test
    void fixedWindowStartsAFreshCountEachCalendarSecond() {
        CallQuota quota = quota(CallQuota.Window.FIXED, 4);
        assertThat(accepted(quota, 2, SECOND + 700)).isEqualTo(2);
        assertThat(accepted(quota, 3, SECOND + 900)).isEqualTo(2);
        // the burst at a window edge that a sliding count refuses: 8 calls within 200 ms
        assertThat(accepted(quota, 5, SECOND + 1_100)).isEqualTo(4);
        assertThat(accepted(quota, 1, SECOND + 1_999)).isZero();
    }

    @Test
    void switchingTheWindowOrTheLimitStartsAfresh() {
        CallQuota quota = quota(CallQuota.Window.FIXED, 2);
        assertThat(accepted(quota, 3, SECOND + 100)).isEqualTo(2);
        quota.window(CallQuota.Window.SLIDING);
        assertThat(quota.window()).isEqualTo(CallQuota.Window.SLIDING);
        assertThat(accepted(quota, 3, SECOND + 200)).isEqualTo(2);
        quota.configure(null, Map.of(ImApi.IMPORT_MSG.command(), 3), true, null);
        assertThat(accepted(quota, 4, SECOND + 300)).isEqualTo(3);
        assertThatThrownBy(() -> CallQuota.Window.parse("hourly")).hasMessageContaining("sliding or fixed");
        assertThat(CallQuota.Window.parse(" Fixed ")).isEqualTo(CallQuota.Window.FIXED);
    }
}
