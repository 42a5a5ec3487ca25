package org.imsmooth.im.camel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.imsmooth.im.AdminUserSig;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole demo migration (import, then the reconciliation's read-backs) on the default transport:
 * Camel's JMX (what Hawtio shows) has a route per IM API whose exchange count is the number of calls the
 * IM client made to that API, the same on its HTTP step and in Camel's Micrometer route metrics; and no
 * endpoint URI in JMX, the endpoint registry, the route dump or Camel's HTTP debug log carries the
 * UserSig or the SecretKey.
 */
@CamelSpringBootTest
@DisableJmx(false)
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false)
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=true",
        "oldsystem.demo.users=10", "oldsystem.demo.friends-per-user=1", "oldsystem.demo.messages=20",
        "oldsystem.demo.groups=2", "oldsystem.demo.members-per-group=4", "oldsystem.demo.group-messages=10",
        "sandbox.roaming-days=3650",
        "logging.level.org.apache.camel.component.http=TRACE",
        "logging.level.org.apache.camel.impl.engine=DEBUG",
        "logging.level.org.apache.hc=DEBUG"})
class ImApiRoutesInJmxTest {

    static final String SECRET_KEY = "jmx-test-secret-5bd2850fff3ecb11d7c805251c51ee46";

    /** Like environment variables in production: not part of the test's visible configuration. */
    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("im.secret-key", () -> SECRET_KEY);
        registry.add("migration.report-file", () -> "target/jmx-test-reconciliation-" + System.nanoTime() + ".json");
    }

    @Autowired CamelContext camel;
    @Autowired ReconciliationOnFinish reconciliation;
    @Autowired AdminUserSig userSig;
    @Autowired MeterRegistry meters;

    @Test
    void eachImApiIsARouteWithItsCallCountAndNoEndpointCarriesASecret(CapturedOutput output) throws Exception {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> reconciliation.lastReport() != null);

        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        String context = "org.apache.camel:context=" + camel.getManagementName();
        List<String> called = new ArrayList<>();
        for (ImApi api : ImApi.values()) {
            ObjectName route = new ObjectName(context + ",type=routes,name=\"" + CamelImHttp.routeId(api) + "\"");
            ObjectName step = new ObjectName(context + ",type=processors,name=\"" + CamelImHttp.callId(api) + "\"");
            assertThat(jmx.isRegistered(route)).as(route.toString()).isTrue();
            assertThat(jmx.isRegistered(step)).as(step.toString()).isTrue();
            long calls = clientCalls(api);
            assertThat((Long) jmx.getAttribute(route, "ExchangesTotal")).as(api.command()).isEqualTo(calls);
            assertThat((Long) jmx.getAttribute(step, "ExchangesTotal")).as(api.command()).isEqualTo(calls);
            assertThat((String) jmx.getAttribute(route, "EndpointUri")).isEqualTo("direct://" + CamelImHttp.routeId(api));
            if (calls > 0) {
                called.add(api.command());
                // Camel's Micrometer route policy: /actuator/prometheus camel_exchanges_total{routeId="im-api-..."}
                Counter total = meters.find("camel.exchanges.total").tag("routeId", CamelImHttp.routeId(api)).counter();
                assertThat(total).as(api.command()).isNotNull();
                assertThat((long) total.count()).as(api.command()).isEqualTo(calls);
                assertThat(meters.find("camel.route.policy").tag("routeId", CamelImHttp.routeId(api)).timers())
                        .as(api.command()).isNotEmpty();
            }
        }
        // the import's APIs and the reconciliation's read-backs went through these routes
        assertThat(called).contains("multiaccount_import", "portrait_set", "friend_import", "importmsg",
                "import_group", "import_group_member", "import_group_msg", "portrait_get", "get_group_info");
        // only the IM API routes are timed by Camel's route policy (application.yml)
        assertThat(meters.find("camel.exchanges.total").tag("routeId", "import-accounts").counter()).isNull();

        String sig = userSig.get();
        List<String> secrets = List.of(sig, URLEncoder.encode(sig, StandardCharsets.UTF_8), SECRET_KEY);
        List<String> uris = new ArrayList<>();
        for (ObjectName endpoint : jmx.queryNames(new ObjectName(context + ",type=endpoints,*"), null)) {
            uris.add(endpoint.toString());
            uris.add((String) jmx.getAttribute(endpoint, "EndpointUri"));
        }
        camel.getEndpointRegistry().values().stream().map(Endpoint::getEndpointUri).forEach(uris::add);
        camel.getEndpoints().stream().map(Endpoint::getEndpointBaseUri).forEach(uris::add);
        assertThat(uris).filteredOn(u -> u.contains("/v4/openim/importmsg?")).isNotEmpty();
        ObjectName managedContext = jmx.queryNames(new ObjectName(context + ",type=context,*"), null).iterator().next();
        String routeDump = (String) jmx.invoke(managedContext, "dumpRoutesAsXml", new Object[0], new String[0]);
        assertThat(routeDump).contains("im-api-importmsg");
        uris.add(routeDump);
        for (String text : uris) {
            assertThat(text).doesNotContainIgnoringCase("usersig");
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
        // Camel's HTTP producer logged the calls at TRACE/DEBUG (so the capture works), without the secrets
        assertThat(output.getAll()).contains("Executing http POST method: http://127.0.0.1");
        for (String secret : secrets) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
        assertThat(output.getAll()).doesNotContain("usersig=");
    }

    private long clientCalls(ImApi api) {
        return meters.find("imsmooth.im.calls").tag("api", api.command()).timers().stream().mapToLong(Timer::count).sum();
    }
}
