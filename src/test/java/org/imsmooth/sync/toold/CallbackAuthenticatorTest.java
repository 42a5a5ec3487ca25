package org.imsmooth.sync.toold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** Callback authentication as the reference (section 7) describes it, at fixed clock times. */
class CallbackAuthenticatorTest {

    static final long NOW = 1669872112L;
    final Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    @Test
    void signIsTheDocumentedSha256OfTokenAndRequestTime() {
        // the reference's worked example: token "xxxxyyyy", RequestTime 1669872112
        assertThat(CallbackAuthenticator.sign("xxxxyyyy", NOW))
                .isEqualTo("17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061");
    }

    @Test
    void acceptsASignWithinSixtySecondsAndRefusesTheRest() {
        CallbackAuthenticator auth = new CallbackAuthenticator(1400000000L, "xxxxyyyy", clock);
        String sign = CallbackAuthenticator.sign("xxxxyyyy", NOW - 60);
        assertThatCode(() -> auth.verify("1400000000", sign, Long.toString(NOW - 60))).doesNotThrowAnyException();

        String stale = CallbackAuthenticator.sign("xxxxyyyy", NOW - 61);
        assertThatThrownBy(() -> auth.verify("1400000000", stale, Long.toString(NOW - 61)))
                .isInstanceOf(CallbackRefusedException.class).hasMessageContaining("61 s");
        assertThatThrownBy(() -> auth.verify("1400000000", sign.toUpperCase(), Long.toString(NOW - 60)))
                .hasMessageContaining("Sign does not match").hasMessageNotContaining(sign).hasMessageNotContaining("xxxxyyyy");
        assertThatThrownBy(() -> auth.verify("1400000000", sign, "yesterday")).hasMessageContaining("RequestTime");
        // |now - t| overflows for t = now - 2^63: Math.abs(Long.MIN_VALUE) is negative and passed the 60 s check
        for (long farAway : new long[] {NOW - Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MAX_VALUE, NOW + 61}) {
            String signed = CallbackAuthenticator.sign("xxxxyyyy", farAway);
            assertThatThrownBy(() -> auth.verify("1400000000", signed, Long.toString(farAway)))
                    .as("RequestTime %d", farAway).isInstanceOf(CallbackRefusedException.class).hasMessageContaining("RequestTime is");
        }
        assertThatThrownBy(() -> auth.verify("1400000001", sign, Long.toString(NOW))).hasMessageContaining("SdkAppid");
    }

    @Test
    void withoutATokenOnlyTheSdkAppIdIsChecked() {
        CallbackAuthenticator auth = new CallbackAuthenticator(1400000000L, "", clock);
        assertThatCode(() -> auth.verify("1400000000", null, null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> auth.verify(null, null, null)).isInstanceOf(CallbackRefusedException.class);
    }
}
