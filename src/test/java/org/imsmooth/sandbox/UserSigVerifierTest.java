package org.imsmooth.sandbox;

import org.imsmooth.sandbox.auth.UserSigVerifier;
import org.imsmooth.sandbox.support.TestUserSigSigner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserSigVerifierTest {

    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    final UserSigVerifier verifier = new UserSigVerifier(KEY);

    @Test
    void referenceVectorSignatureMatches() {
        String content = "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\n";
        assertThat(verifier.sign(content)).isEqualTo("LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=");
    }

    @Test
    void referenceVectorDocumentVerifiesWithinItsValidity() {
        // The vector's own TLS.sig inside a Go-style document (different key order, trailing newline).
        String json = "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"xiaojun\",\"TLS.sdkappid\":1400000000,"
                + "\"TLS.expire\":15552000,\"TLS.time\":1700000000,\"TLS.sig\":\"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=\"}\n";
        String sig = TestUserSigSigner.pack(json);
        assertThat(verifier.verify(sig, 1400000000L, "xiaojun", 1700000100L)).isEqualTo(UserSigVerifier.Result.VALID);
        assertThat(verifier.verify(sig, 1400000000L, "xiaojun", 1700000000L + 15552001L)).isEqualTo(UserSigVerifier.Result.EXPIRED);
    }

    @Test
    void generatedSigsAreCheckedInTheDocumentedOrder() {
        long now = 1_750_000_000L;
        String good = TestUserSigSigner.sign(KEY, 1400000000L, "administrator", now, 86400);
        assertThat(verifier.verify(good, 1400000000L, "administrator", now + 10)).isEqualTo(UserSigVerifier.Result.VALID);
        assertThat(new UserSigVerifier("another-key").verify(good, 1400000000L, "administrator", now))
                .isEqualTo(UserSigVerifier.Result.SIG_MISMATCH);
        assertThat(verifier.verify(good, 1400000000L, "administrator", now + 86401)).isEqualTo(UserSigVerifier.Result.EXPIRED);
        assertThat(verifier.verify(good, 1400000000L, "someone", now)).isEqualTo(UserSigVerifier.Result.IDENTIFIER_MISMATCH);
        assertThat(verifier.verify(good, 1400000001L, "administrator", now)).isEqualTo(UserSigVerifier.Result.SDKAPPID_MISMATCH);
        assertThat(verifier.verify("not-a-sig!!", 1400000000L, "administrator", now)).isEqualTo(UserSigVerifier.Result.PARSE_FAILED);
        assertThat(verifier.verify(TestUserSigSigner.pack("[1,2]"), 1400000000L, "administrator", now))
                .isEqualTo(UserSigVerifier.Result.PARSE_FAILED);
        assertThat(UserSigVerifier.Result.SIG_MISMATCH.errorCode()).isEqualTo(70009);
        assertThat(UserSigVerifier.Result.PARSE_FAILED.errorCode()).isEqualTo(70003);
    }

    @Test
    void tamperedSignatureIsRejected() {
        long now = 1_750_000_000L;
        String content = "TLS.identifier:administrator\nTLS.sdkappid:1400000000\nTLS.time:" + now + "\nTLS.expire:86400\n";
        String otherSig = TestUserSigSigner.hmacBase64(KEY, content.replace("86400", "999999"));
        String json = "{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"administrator\",\"TLS.sdkappid\":1400000000,"
                + "\"TLS.expire\":86400,\"TLS.time\":" + now + ",\"TLS.sig\":\"" + otherSig + "\"}";
        assertThat(verifier.verify(TestUserSigSigner.pack(json), 1400000000L, "administrator", now))
                .isEqualTo(UserSigVerifier.Result.SIG_MISMATCH);
    }
}
