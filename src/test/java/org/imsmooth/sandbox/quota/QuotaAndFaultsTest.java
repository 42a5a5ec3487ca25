package org.imsmooth.sandbox.quota;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.support.SandboxTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaAndFaultsTest extends SandboxTestBase {

    private static final String CHECK = "{\"CheckItem\":[{\"UserID\":\"a\"}]}";

    @Test
    void perCommandQuotaRejectsWith60007BeyondTheConfiguredRate() {
        assertThat(admin("POST", "/sandbox/admin/quota", "{\"callsPerSecond\":{\"account_check\":5}}").statusCode()).isEqualTo(200);
        // all calls at one instant of the sandbox's clock: the count, not the machine's speed, decides
        clock.freezeAt(1_764_000_000_500L);
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            JsonNode n = im(ImApi.ACCOUNT_CHECK, CHECK);
            if (n.path("ErrorCode").asInt() == 60007) {
                limited++;
            } else {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(5);
        assertThat(limited).isEqualTo(3);
        // Other APIs are not affected.
        assertThat(im(ImApi.PORTRAIT_GET, "{\"To_Account\":[\"a\"],\"TagList\":[]}").path("ErrorCode").asInt()).isNotEqualTo(60007);
        long before = System.currentTimeMillis();
        JsonNode stats = read(get("/sandbox/admin/stats").body());
        assertThat(stats.at("/rejectedByQuota/account_check").asInt()).isEqualTo(3);
        // timed by the sandbox when it read the counters (the benchmark's samples use it)
        assertThat(stats.path("atMillis").asLong()).isBetween(before, System.currentTimeMillis());
        JsonNode quota = read(get("/sandbox/admin/quota").body());
        assertThat(quota.at("/effective/account_check").asInt()).isEqualTo(5);
        assertThat(quota.path("window").asText()).as("the default, the strictest").isEqualTo("sliding");
    }

    @Test
    void aSlidingWindowRefusesWhatACalendarSecondWouldLetThrough() {
        admin("POST", "/sandbox/admin/quota", "{\"callsPerSecond\":{\"account_check\":3}}");
        long lateInASecond = 1_764_000_000_900L;
        clock.freezeAt(lateInASecond);
        assertThat(accepted(3)).isEqualTo(3);
        clock.freezeAt(lateInASecond + 200); // a new calendar second, but the last second holds 3 calls
        assertThat(accepted(3)).isZero();
        clock.freezeAt(lateInASecond + 1_000); // a full second after them
        assertThat(accepted(3)).isEqualTo(3);

        assertThat(admin("POST", "/sandbox/admin/quota", "{\"callsPerSecond\":{\"account_check\":3},\"window\":\"fixed\"}")
                .statusCode()).isEqualTo(200);
        clock.freezeAt(lateInASecond);
        assertThat(accepted(4)).isEqualTo(3);
        clock.freezeAt(lateInASecond + 200);
        assertThat(accepted(4)).as("fixed: the new calendar second starts a new count").isEqualTo(3);
        assertThat(read(get("/sandbox/admin/quota").body()).path("window").asText()).isEqualTo("fixed");
        HttpResponse<String> bad = admin("POST", "/sandbox/admin/quota", "{\"window\":\"hourly\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(read(bad.body()).path("error").asText()).contains("sliding or fixed");
        admin("POST", "/sandbox/admin/quota", "{\"window\":\"sliding\"}");
    }

    private int accepted(int calls) {
        int ok = 0;
        for (int i = 0; i < calls; i++) {
            if (im(ImApi.ACCOUNT_CHECK, CHECK).path("ErrorCode").asInt() != 60007) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void documentedDefaultsApplyWhenNoDefaultIsSet() {
        admin("POST", "/sandbox/admin/quota", "{\"defaultCallsPerSecond\":null}");
        JsonNode quota = read(get("/sandbox/admin/quota").body());
        assertThat(quota.at("/effective/multiaccount_import").asInt()).isEqualTo(100);
        assertThat(quota.at("/effective/importmsg").asInt()).isEqualTo(200);
    }

    @Test
    void injectedFaultsOfEachKind() {
        admin("POST", "/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"http-502\"]}");
        assertThat(post("/" + ImApi.ACCOUNT_CHECK.path() + query(sig()), CHECK).statusCode()).isEqualTo(502);
        admin("POST", "/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"http-500\"]}");
        assertThat(post("/" + ImApi.ACCOUNT_CHECK.path() + query(sig()), CHECK).statusCode()).isEqualTo(500);
        admin("POST", "/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"error-code\"]}");
        assertThat(im(ImApi.ACCOUNT_CHECK, CHECK).path("ErrorCode").asInt()).isEqualTo(70169);
        assertThat(im(ImApi.IMPORT_MSG, "{}").path("ErrorCode").asInt()).isEqualTo(90992);
        admin("POST", "/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"rate-limit\"]}");
        assertThat(im(ImApi.ACCOUNT_CHECK, CHECK).path("ErrorCode").asInt()).isEqualTo(60007);
        admin("POST", "/sandbox/admin/faults", "{\"rate\":1,\"kinds\":[\"timeout\"],\"timeoutMs\":300}");
        clock.clearSleeps();
        assertThat(im(ImApi.ACCOUNT_CHECK, CHECK).path("ActionStatus").asText()).isEqualTo("OK");
        // a timeout answers (and applies the call) only after the wait the sandbox was asked for
        assertThat(clock.sleeps()).containsExactly(0L, 300L);
        admin("POST", "/sandbox/admin/faults", "{\"rate\":0,\"kinds\":[],\"latencyMs\":200}");
        clock.clearSleeps();
        assertThat(im(ImApi.ACCOUNT_CHECK, CHECK).path("ActionStatus").asText()).isEqualTo("OK");
        assertThat(clock.sleeps()).containsExactly(200L);
        JsonNode stats = read(get("/sandbox/admin/stats").body());
        assertThat(stats.at("/faultsInjected/http-502").asInt()).isEqualTo(1);
        assertThat(stats.at("/faultsInjected/error-code").asInt()).isEqualTo(2);
    }

    @Test
    void badAdminInputIs400WithAReason() {
        HttpResponse<String> r = admin("POST", "/sandbox/admin/faults", "{\"rate\":2}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(read(r.body()).path("error").asText()).contains("rate");
        assertThat(admin("POST", "/sandbox/admin/faults", "{\"rate\":0.5,\"kinds\":[\"meteor\"]}").statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/sandbox/admin/faults", "not json").statusCode()).isEqualTo(400);
        HttpResponse<String> q = admin("POST", "/sandbox/admin/quota", "{\"callsPerSecond\":{\"no_such_api\":3}}");
        assertThat(q.statusCode()).isEqualTo(400);
        assertThat(read(q.body()).path("error").asText()).contains("no_such_api");
        assertThat(admin("POST", "/sandbox/admin/quota", "{\"defaultCallsPerSecond\":\"many\"}").statusCode()).isEqualTo(400);
    }
}
