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

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.management.MBeanServer;
import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * A whole demo migration (import, then the reconciliation's read-backs) and live old → IM changes (a 1:1
 * message, a group message, a group change and a member joining, through the intake) on the default transport:
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
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "old-system-intake.secret=" + ImApiRoutesInJmxTest.INTAKE_SECRET,
        "logging.level.org.apache.camel.component.http=TRACE",
        "logging.level.org.apache.camel.impl.engine=DEBUG",
        "logging.level.org.apache.hc=DEBUG"})
class ImApiRoutesInJmxTest {

    static final String SECRET_KEY = "jmx-test-secret-5bd2850fff3ecb11d7c805251c51ee46";
    static final String INTAKE_SECRET = "jmx-test-intake-secret-3e1f";

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
    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @LocalServerPort int port;

    @Test
    void eachImApiIsARouteWithItsCallCountAndNoEndpointCarriesASecret(CapturedOutput output) throws Exception {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> reconciliation.lastReport() != null);
        liveChangesFromTheOldSystem();

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
        // the import's APIs, the reconciliation's read-backs and the old → IM sync's sends went through these routes
        assertThat(called).contains("multiaccount_import", "portrait_set", "friend_import", "importmsg", "admin_set_msg_read",
                "import_group", "import_group_member", "import_group_msg", "set_unread_msg_num");
        assertThat(called).contains("account_check", "portrait_get", "friend_get", "admin_getroammsg", "get_group_info",
                "get_group_member_info", "get_joined_group_list");
        assertThat(called).contains("sendmsg", "send_group_msg", "modify_group_base_info", "add_group_member");
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

    /** Old → IM changes through the intake, until IM acknowledged each (the sync's latency timer counts them). */
    private void liveChangesFromTheOldSystem() throws Exception {
        JdbcTemplate old = new JdbcTemplate(oldSystemDataSource);
        long group = old.queryForObject("SELECT MIN(id) FROM chat_groups WHERE kind IN ('public', 'private')", Long.class);
        long member = old.queryForObject("SELECT MIN(user_id) FROM group_members WHERE group_id = ?", Long.class, group);
        long outsider = old.queryForObject("SELECT MAX(id) FROM users WHERE id NOT IN (SELECT user_id FROM group_members WHERE group_id = ?)",
                Long.class, group);
        long now = System.currentTimeMillis();
        double before = acknowledgedByIm();
        intake("c2c-message", "{\"msgId\":\"jmx-c2c\",\"from\":\"1\",\"to\":\"2\",\"type\":\"text\",\"body\":\"live\",\"time\":" + now + "}");
        intake("group-message", "{\"msgId\":\"jmx-group\",\"groupId\":\"" + group + "\",\"from\":\"" + member
                + "\",\"type\":\"text\",\"body\":\"live\",\"time\":" + now + "}");
        intake("group-event", "{\"eventId\":\"jmx-changed\",\"groupId\":\"" + group
                + "\",\"event\":\"changed\",\"name\":\"renamed live\",\"time\":" + now + "}");
        intake("group-event", "{\"eventId\":\"jmx-joined\",\"groupId\":\"" + group + "\",\"event\":\"joined\",\"userId\":\""
                + outsider + "\",\"time\":" + now + "}");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> acknowledgedByIm() >= before + 4);
    }

    private void intake(String kind, String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/intake/old-system/" + kind))
                .header("Content-Type", "application/json").header("X-Intake-Secret", INTAKE_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(kind + ": " + answer.body()).isEqualTo(202);
    }

    private double acknowledgedByIm() {
        return meters.find("imsmooth.sync.latency").tag("direction", "old-to-im").timers().stream().mapToLong(Timer::count).sum();
    }

    private long clientCalls(ImApi api) {
        return meters.find("imsmooth.im.calls").tag("api", api.command()).timers().stream().mapToLong(Timer::count).sum();
    }
}
