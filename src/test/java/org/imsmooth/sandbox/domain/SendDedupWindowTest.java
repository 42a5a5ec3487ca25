package org.imsmooth.sandbox.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A send's first result is returned within the window, forgotten after it; expiry keeps the newest entry of a key. */
class SendDedupWindowTest {

    @Test
    void returnsTheFirstResultWithinTheWindowOnly() {
        SendDedupWindow<String> window = new SendDedupWindow<>(1000);
        window.remember("a", "first", 10_000);
        assertThat(window.recent("a", 10_500)).isEqualTo("first");
        assertThat(window.recent("a", 11_000)).isEqualTo("first");
        assertThat(window.recent("a", 11_001)).isNull();
        assertThat(window.recent("b", 10_500)).isNull();
    }

    @Test
    void forgetsExpiredKeysAsNewOnesArriveAndKeepsAKeyRememberedAgain() {
        SendDedupWindow<Integer> window = new SendDedupWindow<>(1000);
        for (int i = 0; i < 5000; i++) {
            window.remember("k" + i, i, i);
        }
        // at 4999 ms every key from before 3999 ms has expired
        assertThat(window.size()).isEqualTo(1001);
        window.remember("again", 1, 6000);
        window.remember("again", 2, 6900);
        // the first arrival of "again" expires at 7001 ms; its later entry stays
        window.remember("other", 3, 7500);
        assertThat(window.recent("again", 7500)).isEqualTo(2);
        assertThat(window.size()).isEqualTo(2);
    }
}
