package org.imsmooth.im;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImErrorClassifierTest {

    @ParameterizedTest(name = "{0} is retryable")
    @ValueSource(ints = {
            60007, 60011, 60018, 60019, 10006, 10023,            // rate limits
            70169, 70202, 70500, 90992, 91000, 20004, 20005, 10002, // IM internal
            30006, 30007, 40006, 60014})                          // internal / timeout codes of sns, profile, account
    void transientCodesAreRetryable(int code) {
        assertThat(ImErrorClassifier.isRetryable(code)).isTrue();
        assertThat(ImErrorClassifier.retryReason(code)).isNotBlank();
    }

    @ParameterizedTest(name = "{0} is permanent")
    @ValueSource(ints = {
            0, -1,
            60002, 60003, 60004, 60005, 60006, 60010, 60020,  // public: parse, auth, permission, package
            70001, 70003, 70009, 70013, 70014, 70107, 70398, 70402, // UserSig and account
            40001, 40003, 40601,                              // profile
            30001, 30003, 30010,                              // sns
            90001, 90002, 90012, 93000,                       // c2c parameters and size
            10003, 10004, 10007, 10010, 10015, 10019, 10021,  // group parameters, missing group/account
            80001, 80002})                                    // per-item: sensitive words, content size
    void everythingElseIsPermanent(int code) {
        assertThat(ImErrorClassifier.isRetryable(code)).isFalse();
        assertThat(ImErrorClassifier.retryReason(code)).isNull();
    }

    @Test
    void tableHoldsExactlyTheDocumentedTransientCodes() {
        assertThat(ImErrorClassifier.retryableCodes()).containsOnlyKeys(
                60007, 60011, 60018, 60019, 10006, 10023,
                70169, 70202, 70500, 90992, 91000, 20004, 20005, 10002,
                30006, 30007, 40006, 60014);
    }

    @ParameterizedTest(name = "HTTP {0} is retryable")
    @ValueSource(ints = {500, 502, 503, 504, 429, 408})
    void serverSideHttpFailuresAreRetryable(int status) {
        assertThat(ImErrorClassifier.isRetryableHttpStatus(status)).isTrue();
    }

    @ParameterizedTest(name = "HTTP {0} is permanent")
    @ValueSource(ints = {400, 401, 403, 404, 405, 413, 301})
    void clientSideHttpFailuresArePermanent(int status) {
        assertThat(ImErrorClassifier.isRetryableHttpStatus(status)).isFalse();
    }
}
