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
        // Align to the start of a second so all calls fall into one window.
        while (System.currentTimeMillis() % 1000 > 300) {
            Thread.onSpinWait();
        }
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
        long t0 = System.nanoTime();
        assertThat(im(ImApi.ACCOUNT_CHECK, CHECK).path("ActionStatus").asText()).isEqualTo("OK");
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
        admin("POST", "/sandbox/admin/faults", "{\"rate\":0,\"kinds\":[],\"latencyMs\":200}");
        t0 = System.nanoTime();
        assertThat(im(ImApi.ACCOUNT_CHECK, CHECK).path("ActionStatus").asText()).isEqualTo("OK");
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(200);
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
