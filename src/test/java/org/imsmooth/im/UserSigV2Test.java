package org.imsmooth.im;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserSigV2Test {

    // Reference section 1.7 test vector.
    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    static final long SDK_APP_ID = 1400000000L;

    @Test
    void tlsSigMatchesTheReferenceVector() {
        assertThat(UserSigV2.hmacBase64(KEY, "xiaojun", SDK_APP_ID, 1700000000L, 15552000L))
                .isEqualTo("LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=");
    }

    @Test
    void generatedSigCarriesTheVectorFieldsAndSignature() {
        String sig = UserSigV2.generate(SDK_APP_ID, KEY, "xiaojun", 15552000L, 1700000000L);

        assertThat(sig).matches("[A-Za-z0-9*\\-_]+"); // URL-safe alphabet: no + / =
        UserSigV2.Decoded d = UserSigV2.decode(sig);
        assertThat(d.ver()).isEqualTo("2.0");
        assertThat(d.identifier()).isEqualTo("xiaojun");
        assertThat(d.sdkAppId()).isEqualTo(SDK_APP_ID);
        assertThat(d.time()).isEqualTo(1700000000L);
        assertThat(d.expire()).isEqualTo(15552000L);
        assertThat(d.sig()).isEqualTo("LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=");
        assertThat(d.signedWith(KEY)).isTrue();
        assertThat(d.signedWith(KEY + "x")).isFalse();
        assertThat(d.toString()).doesNotContain(d.sig()).contains("xiaojun");
    }

    @Test
    void encodingIsZlibOfJsonWithTencentSubstitutions() throws Exception {
        String sig = UserSigV2.generate(SDK_APP_ID, KEY, "xiaojun", 15552000L, 1700000000L);
        // Decode independently of UserSigV2.decode: reverse the substitutions, then RFC 1950 inflate.
        byte[] zlib = Base64.getDecoder().decode(sig.replace('_', '=').replace('-', '/').replace('*', '+'));
        assertThat(zlib[0]).isEqualTo((byte) 0x78); // zlib header, not raw deflate
        Inflater inflater = new Inflater();
        inflater.setInput(zlib);
        byte[] out = new byte[1024];
        int n = inflater.inflate(out);
        assertThat(inflater.finished()).isTrue();
        String json = new String(out, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"TLS.ver\":\"2.0\"", "\"TLS.identifier\":\"xiaojun\"", "\"TLS.sdkappid\":1400000000",
                "\"TLS.expire\":15552000", "\"TLS.time\":1700000000",
                "\"TLS.sig\":\"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=\"");
    }

    @Test
    void decodeRejectsGarbageWithoutEchoingIt() {
        assertThatThrownBy(() -> UserSigV2.decode("not-a-sig-secretish"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not-a-sig-secretish");
    }

    @Test
    void adminSigIsReusedUntilHalfLifeThenRenewed() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
        AdminUserSig admin = new AdminUserSig(props(Duration.ofDays(7)), clock);

        String first = admin.get();
        UserSigV2.Decoded d = UserSigV2.decode(first);
        assertThat(d.identifier()).isEqualTo("administrator");
        assertThat(d.expire()).isEqualTo(Duration.ofDays(7).toSeconds());
        assertThat(d.time()).isEqualTo(1_700_000_000L);
        assertThat(d.signedWith(KEY)).isTrue();

        clock.advance(Duration.ofDays(3).plusHours(11).plusMinutes(59));
        assertThat(admin.get()).isSameAs(first);

        clock.advance(Duration.ofMinutes(1)); // exactly half of 7 days
        String renewed = admin.get();
        assertThat(renewed).isNotEqualTo(first);
        assertThat(UserSigV2.decode(renewed).time())
                .isEqualTo(1_700_000_000L + Duration.ofDays(3).plusHours(12).toSeconds());
        assertThat(admin.get()).isSameAs(renewed);
    }

    @Test
    void concurrentCallersShareOneSig() throws Exception {
        AdminUserSig admin = new AdminUserSig(props(Duration.ofDays(7)), Clock.systemUTC());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 200; i++) {
            pool.submit(() -> seen.add(admin.get()));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(1);
    }

    @Test
    void missingSecretKeyIsAClearError() {
        AdminUserSig admin = new AdminUserSig(new ImProperties("china", null, SDK_APP_ID, "administrator", " ", null,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofDays(7)), Clock.systemUTC());
        assertThatThrownBy(admin::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("im.secret-key");
    }

    static ImProperties props(Duration ttl) {
        return new ImProperties("sandbox", null, SDK_APP_ID, "administrator", KEY, null,
                Duration.ofSeconds(5), Duration.ofSeconds(2), ttl);
    }

    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
