package org.imsmooth.im.contract;

import java.time.Duration;
import java.util.List;

import org.imsmooth.im.ImAccounts;
import org.imsmooth.im.ImCallException;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.ImRetryableException;
import org.imsmooth.im.api.account.AccountCheckRequest;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication, quota and injected transport faults as the client classifies them. */
class TransportContractTest extends ContractTestBase {

    private static final AccountCheckRequest CHECK = AccountCheckRequest.of(List.of("someone"));

    @Test
    void wrongSecretKeyIsPermanent70009() {
        ImAccounts wrongKey = new ImAccounts(transport("0".repeat(64), Duration.ofSeconds(5)));
        var e = permanent(70009, () -> wrongKey.accountCheck(CHECK));
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.getMessage()).doesNotContain(KEY);
        // The right key on the same sandbox works.
        assertThat(accounts.accountCheck(CHECK).notImported()).containsExactly("someone");
    }

    @Test
    void loweredQuotaSurfacesAs60007Retryable() {
        admin("/sandbox/admin/quota", "{\"callsPerSecond\":{\"account_check\":2}}");
        // every call at one instant of the sandbox's clock: the count decides, not the machine's speed
        sandboxClock.freezeAt(1_764_000_000_500L);
        int ok = 0;
        ImRetryableException limited = null;
        for (int i = 0; i < 4; i++) {
            try {
                accounts.accountCheck(CHECK);
                ok++;
            } catch (ImRetryableException e) {
                limited = e;
            }
        }
        assertThat(ok).isEqualTo(2);
        assertThat(limited).isNotNull();
        assertThat(limited.errorCode()).isEqualTo(60007);
        assertThat(limited.retryable()).isTrue();
        // Only that API is throttled.
        accounts.multiaccountImport(MultiAccountImportRequest.ofIds(List.of("x")));
    }

    @Test
    void injectedHttp502IsRetryable() {
        admin("/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"http-502\"]}");
        ImRetryableException e = retryable(ImCallException.NO_CODE, () -> accounts.accountCheck(CHECK));
        assertThat(e.httpStatus()).isEqualTo(502);
    }

    @Test
    void injectedTimeoutBeyondTheClientTimeoutIsRetryable() {
        // the sandbox answers after 30 s: a failure here can only be the client's own 400 ms timeout
        admin("/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"timeout\"],\"timeoutMs\":30000}");
        ImAccounts impatient = new ImAccounts(transport(KEY, Duration.ofMillis(400)));
        ImRetryableException e = retryable(ImCallException.NO_CODE, () -> impatient.accountCheck(CHECK));
        assertThat(e.httpStatus()).isZero();
        assertThat(e.errorInfo()).contains("timeout");
    }

    @Test
    void injectedErrorCodeIsRetryableWithTheServicesInternalCode() {
        admin("/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"error-code\"]}");
        retryable(70169, () -> accounts.accountCheck(CHECK));
        ImGroupReads reads = groupReads;
        retryable(10002, () -> reads.getGroupInfo(GetGroupInfoRequest.of(List.of("g"))));
        assertThat(adminGet("/sandbox/admin/stats").at("/faultsInjected/error-code").asInt()).isEqualTo(2);
    }

    @Test
    void injectedRateLimitIsRetryable() {
        admin("/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"rate-limit\"]}");
        retryable(60007, () -> accounts.accountCheck(CHECK));
    }
}
