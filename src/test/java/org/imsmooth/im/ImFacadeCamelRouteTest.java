package org.imsmooth.im;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A YAML route calls a facade by bean name with the typed request as body, as pipeline routes will. */
class ImFacadeCamelRouteTest {

    static final String ROUTE = """
            - route:
                id: import-accounts
                from:
                  uri: direct:accounts
                  steps:
                    - bean:
                        ref: imAccounts
                        method: multiaccountImport
            """;

    private FakeIm im;
    private CamelContext camel;
    private final CamelImTransports transports = new CamelImTransports();

    @BeforeEach
    void start() throws Exception {
        im = new FakeIm();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("imAccounts", new ImAccounts(transports.transport(
                ImTransportHttpTest.properties(im.baseUrl(), Duration.ofSeconds(5)))));
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("accounts.yaml", ROUTE));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        transports.close();
        im.close();
    }

    @Test
    void routeGetsTheTypedResultAsBody() {
        im.respondAlways("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[\"b\"]}");
        ProducerTemplate producer = camel.createProducerTemplate();
        Object out = producer.requestBody("direct:accounts", MultiAccountImportRequest.ofIds(List.of("a", "b")));

        assertThat(out).isInstanceOf(MultiAccountImportResult.class);
        assertThat(((MultiAccountImportResult) out).failedItems()).extracting(ItemFailure::itemId).containsExactly("b");
        assertThat(im.last().path()).isEqualTo("/v4/im_open_login_svc/multiaccount_import");
        assertThat(im.last().body()).isEqualTo("{\"Accounts\":[\"a\",\"b\"]}");
    }

    @Test
    void routeSeesTheClassifiedExceptionForOnException() {
        im.respondAlways("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70402,\"ErrorInfo\":\"bad params\"}");
        CamelExecutionException e = catchThrowableOfType(CamelExecutionException.class, () -> camel.createProducerTemplate()
                .requestBody("direct:accounts", MultiAccountImportRequest.ofIds(List.of("a"))));
        assertThat(e.getCause()).isInstanceOfSatisfying(ImPermanentException.class,
                p -> assertThat(p.errorCode()).isEqualTo(70402));
    }
}
