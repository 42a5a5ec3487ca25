package org.imsmooth.ops.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** No default operator password in production (sandbox off); the documented demo one only with the sandbox. */
class OperatorCredentialTest {

    @Test
    void productionWithoutPasswordRefusesToStartWithAClearMessage() {
        for (String unset : new String[] {null, ""}) {
            assertThatThrownBy(() -> OperatorCredential.resolve(new OperatorProperties("ops", unset), false))
                    .isInstanceOf(OperatorPasswordMissingException.class)
                    .hasMessageContaining("OPS_PASSWORD")
                    .hasMessageContaining("sandbox.enabled=false");
        }
    }

    @Test
    void startupFailureIsReportedWithoutAStackTrace() {
        OperatorPasswordMissingException missing = new OperatorPasswordMissingException("No operator password is set");
        var analysis = new OperatorPasswordFailureAnalyzer().analyze(new RuntimeException("wrapper", missing));
        assertThat(analysis.getDescription()).isEqualTo("No operator password is set");
        assertThat(analysis.getAction()).contains("OPS_PASSWORD");
    }

    @Test
    void configuredPasswordIsUsedWithOrWithoutTheSandbox() {
        for (boolean sandbox : new boolean[] {true, false}) {
            OperatorCredential credential = OperatorCredential.resolve(new OperatorProperties("alice", "s3cret-from-env"), sandbox);
            assertThat(credential.user()).isEqualTo("alice");
            assertThat(credential.password()).isEqualTo("s3cret-from-env");
            assertThat(credential.demo()).isFalse();
            assertThat(credential.toString()).doesNotContain("s3cret-from-env");
        }
    }

    @Test
    void demoCredentialOnlyWhileTheSandboxIsOn() {
        OperatorCredential credential = OperatorCredential.resolve(new OperatorProperties(null, null), true);
        assertThat(credential.user()).isEqualTo("operator");
        assertThat(credential.password()).isEqualTo(OperatorCredential.DEMO_PASSWORD);
        assertThat(credential.demo()).isTrue();
        assertThat(new OperatorProperties("ops", "p4ss").toString()).doesNotContain("p4ss");
    }
}
