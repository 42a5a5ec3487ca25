package org.imsmooth.im;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.account.AccountImportRequest;
import org.imsmooth.im.camel.CamelImHttp;
import org.imsmooth.im.camel.ImUserSigQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test of {@link ImTransportHttpTest} on Camel's HTTP component, plus what only this transport
 * has: a route and an endpoint per IM API, and no secret in any endpoint URI.
 */
class CamelImTransportHttpTest extends ImTransportHttpTest {

    private final List<CamelContext> contexts = new ArrayList<>();
    private CamelContext lastCamel;
    private AdminUserSig lastSig;

    @Override
    ImTransport newTransport(String baseUrl, Duration requestTimeout) {
        ImProperties p = properties(baseUrl, requestTimeout);
        CamelContext camel = new DefaultCamelContext();
        camel.start();
        contexts.add(camel);
        ImEndpoint endpoint = new ImEndpoint(p, new MockEnvironment());
        AdminUserSig sig = new AdminUserSig(p, Clock.systemUTC());
        ImQueryString query = new ImQueryString(p, sig);
        lastCamel = camel;
        lastSig = sig;
        return new ImTransport(p, endpoint, sig, new CamelImHttp(camel, p, endpoint, query, new ImUserSigQuery(query)),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stopCamel() {
        contexts.forEach(CamelContext::stop);
    }

    @Test
    void eachApiIsARouteOfItsOwnAndNoEndpointUriHoldsASecret() {
        new ImAccounts(transport()).accountImport(AccountImportRequest.of("u1"));
        String sent = im.last().query().get("usersig");
        assertThat(sent).isEqualTo(lastSig.get());

        for (ImApi api : ImApi.values()) {
            Route route = lastCamel.getRoute(CamelImHttp.routeId(api));
            assertThat(route).as(api.command()).isNotNull();
            assertThat(route.getEndpoint().getEndpointUri()).isEqualTo("direct://im-api-" + api.command());
        }
        List<String> uris = lastCamel.getEndpoints().stream().map(Endpoint::getEndpointUri).toList();
        assertThat(uris).anyMatch(u -> u.startsWith(im.baseUrl() + "/v4/im_open_login_svc/account_import?"));
        assertThat(uris).filteredOn(u -> u.startsWith("http")).hasSize(ImApi.values().length);
        for (String uri : uris) {
            assertThat(uri).doesNotContain(sent, KEY, ImQueryString.encode(sent)).doesNotContainIgnoringCase("usersig")
                    .doesNotContain("random=");
        }
        // the Camel endpoint options stay with Camel: IM sees its own query string only
        assertThat(im.last().query()).containsOnlyKeys("sdkappid", "identifier", "usersig", "random", "contenttype");
    }

    private ImTransport transport() {
        return newTransport(im.baseUrl(), Duration.ofSeconds(5));
    }
}
