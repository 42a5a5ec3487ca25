package org.imsmooth.ops.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.support.OperatorLogin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Operator paths ask for the operator's credential (the browser gets a basic-auth login prompt);
 * the sandbox's IM stand-in and the health probe stay open; a browser's cross-site POST is refused
 * even with the credential; credentials come from configuration (OPS_USER / OPS_PASSWORD).
 */
@CamelSpringBootTest
@AutoConfigureObservability(tracing = false) // Boot's tests switch the Prometheus endpoint off otherwise
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "ops.user=night-shift", "ops.password=pw-from-env-41d2"})
class OperatorSecurityTest {

    private static final String OPERATOR = OperatorLogin.basic("night-shift", "pw-from-env-41d2");

    @LocalServerPort int port;
    @Autowired List<ServletRegistrationBean<?>> servlets;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void operatorPathsNeedTheCredentialAndPromptForIt() throws Exception {
        for (String path : new String[] {"/", "/index.html", "/api/migration/status", "/actuator/prometheus", "/actuator/hawtio/",
                "/actuator/jolokia/version"}) {
            HttpResponse<String> anonymous = send("GET", path, null, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path + " login prompt")
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
            assertThat(send("GET", path, OperatorLogin.basic(), null).statusCode())
                    .as(path + " with the demo credential, once a password is configured").isEqualTo(401);
            assertThat(send("GET", path, OPERATOR, null).statusCode()).as(path + " as operator").isIn(200, 302);
        }
        assertThat(send("POST", "/api/migration/pause", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void sandboxAndHealthStayOpen() throws Exception {
        assertThat(send("GET", "/sandbox/admin/stats", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> v4 = send("POST", "/v4/im_open_login_svc/account_check?sdkappid=1&identifier=x&usersig=y&random=1&contenttype=json",
                null, null);
        assertThat(v4.statusCode()).as("the sandbox answers itself (IM envelope), not the operator login").isNotEqualTo(401);
        assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyRequestsMappedToASelfAuthenticatingServletSkipTheOperatorCheck() throws Exception {
        assertThat(servlets.stream().map(ServletRegistrationBean::getServletName))
                .as("the servlets operator security leaves alone are registered under the names it knows")
                .containsAll(SelfAuthenticatingServlets.NAMES);
        // paths that start like a self-authenticating servlet's but normalize to an operator endpoint
        for (String path : new String[] {"/v4/../api/migration/status", "/im/callback/../api/migration/status",
                "/v4/%2e%2e/api/migration/status", "/v4/..;/api/migration/status", "/im/callback/..;/api/migration/status"}) {
            assertThat(send("GET", path, null, null).statusCode()).as(path).isIn(400, 401, 404);
        }
        HttpResponse<String> callback = send("POST", "/im/callback?SdkAppid=1&CallbackCommand=C2C.CallbackAfterSendMsg", null, null);
        assertThat(callback.statusCode()).as("IM's callback is answered by its own checks, not the operator login")
                .isNotEqualTo(401);
        assertThat(callback.body()).contains("SdkAppid");
    }

    @Test
    void crossSiteBrowserPostIsRefusedEvenWithTheCredential() throws Exception {
        HttpResponse<String> crossSite = send("POST", "/api/migration/stages/accounts/pause", OPERATOR, "cross-site");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("cross-site request refused");
        HttpResponse<String> own = send("POST", "/api/migration/stages/accounts/resume", OPERATOR, "same-origin");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("\"stages\":[\"accounts\"]");
        HttpResponse<String> unknown = send("POST", "/api/migration/stages/no-such-stage/pause", OPERATOR, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown stage 'no-such-stage'");
    }

    private HttpResponse<String> send(String method, String path, String authorization, String fetchSite) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (fetchSite != null) {
            request.header("Sec-Fetch-Site", fetchSite);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
