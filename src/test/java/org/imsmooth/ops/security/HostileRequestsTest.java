package org.imsmooth.ops.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.imsmooth.broker.BrokerProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Hostile requests against the running service (every one to the loopback), each asserted for its
 * status, its body and the absence of its side effect: Jolokia's least privilege (no secret, no file,
 * no diagnostic command, no context operation, no attribute write; DLQ and route operations still
 * work), no cross-site use of the operator surfaces, bounded bodies on the open endpoints (a 150 MB
 * body, declared or streamed: 413, the service stays UP and the next callback is written), forged
 * and replayed callbacks, the intake's secret, path tricks, throttled and logged failed logins, and
 * log lines that cannot be forged or flooded. Client addresses 127.0.0.2 ... keep per-client limits
 * of one case out of the others.
 */
@CamelSpringBootTest
@DisableJmx(false)
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "change-capture.enabled=false",
        "ops.user=night-shift", "ops.password=" + HostileRequestsTest.OPS_PASSWORD,
        "im.secret-key=" + HostileRequestsTest.SECRET_KEY,
        "im.callback-token=" + HostileRequestsTest.TOKEN,
        "old-system-intake.secret=" + HostileRequestsTest.INTAKE_SECRET,
        "ops.security.login-failures=3"})
class HostileRequestsTest {

    static final String OPS_PASSWORD = "ops-pw-5b1e77c0";
    static final String SECRET_KEY = "secret-key-9d2f41aa";
    static final String TOKEN = "callback-token-3c8e02bd";
    static final String INTAKE_SECRET = "intake-secret-71f4c9e3";
    static final String[] SECRETS = {OPS_PASSWORD, SECRET_KEY, TOKEN, INTAKE_SECRET};
    static final String OPERATOR = "Basic " + java.util.Base64.getEncoder()
            .encodeToString(("night-shift:" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8));
    static final long MB150 = 150L * 1024 * 1024;
    static final String CALLBACK_QUERY = "SdkAppid=1400000000&CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json";

    /** Hostile requests sent by this class (the issue asks for at least 30). */
    static final AtomicInteger SENT = new AtomicInteger();

    @LocalServerPort int port;
    @Autowired BrokerProperties broker;
    @Autowired CamelContext camel;
    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystem;
    @TempDir Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @AfterAll
    static void countHostileRequests() {
        // the whole class sends about 110; a single method run sends fewer
        org.slf4j.LoggerFactory.getLogger(HostileRequestsTest.class).info("{} hostile requests sent", SENT.get());
    }

    // ---------------------------------------------------------------- Jolokia: least privilege

    @Test
    void camelContextOperationsCannotReadSecretsOrWriteFiles() throws Exception {
        String context = "org.apache.camel:context=im-migration,type=context,name=\"im-migration\"";
        // the issue's probe, verbatim as a GET: a simple expression that reads a property placeholder
        for (String property : new String[] {"im.secret-key", "im.callback-token", "ops.password", "old-system-intake.secret"}) {
            String path = "/actuator/jolokia/exec/" + context + "/requestStringBody(java.lang.String,java.lang.String)/"
                    + "language:simple:${properties:" + property + "}/x";
            HttpResponse<String> response = hostile("GET", path.replace("\"", "%22").replace("{", "%7B").replace("}", "%7D"),
                    OPERATOR, null);
            assertDenied(response, "requestStringBody " + property);
        }
        Path target = temp.resolve("pwned");
        JsonNode send = jolokia(exec(context, "sendStringBody(java.lang.String,java.lang.String)",
                "file:" + target + "?fileName=x.txt", "written through Jolokia"));
        assertThat(send.path("status").asInt()).isEqualTo(403);
        assertThat(send.path("error").asText()).contains("forbidden");
        assertThat(target).doesNotExist();
        // no context-wide operation either (stop, evaluate-like dumps with resolved placeholders)
        for (String operation : new String[] {"stop()", "suspend()", "dumpRoutesAsXml(boolean)", "sendBody(java.lang.String,java.lang.Object)"}) {
            JsonNode answer = jolokia(exec(context, operation, operation.contains("boolean") ? true : null));
            assertThat(answer.path("status").asInt()).as(operation).isEqualTo(403);
        }
        assertThat(camel.getStatus()).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void jvmDiagnosticsAreHiddenAndFilesCannotBeWritten() throws Exception {
        Path dump = temp.resolve("heap.hprof");
        JsonNode heapDump = jolokia(exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)",
                dump.toString(), true));
        assertThat(heapDump.path("status").asInt()).isIn(403, 404);
        assertThat(dump).doesNotExist();
        JsonNode properties = jolokia(exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()"));
        assertThat(properties.path("status").asInt()).isIn(403, 404);
        assertNoSecret(properties.toString());
        JsonNode flightRecorder = jolokia(exec("jdk.management.jfr:type=FlightRecorder", "newRecording()"));
        assertThat(flightRecorder.path("status").asInt()).isIn(403, 404);
        // the command line and system properties, where a secret given as --ops.password=... would be
        JsonNode systemProperties = jolokia(json.createObjectNode().put("type", "read").put("mbean", "java.lang:type=Runtime")
                .put("attribute", "SystemProperties"));
        assertThat(systemProperties.path("status").asInt()).isEqualTo(403);
        // attribute writes: none
        boolean verbose = ManagementFactory.getMemoryMXBean().isVerbose();
        JsonNode write = jolokia(json.createObjectNode().put("type", "write").put("mbean", "java.lang:type=Memory")
                .put("attribute", "Verbose").put("value", !verbose));
        assertThat(write.path("status").asInt()).isEqualTo(403);
        assertThat(ManagementFactory.getMemoryMXBean().isVerbose()).isEqualTo(verbose);
        JsonNode gc = jolokia(exec("java.lang:type=Memory", "gc()"));
        assertThat(gc.path("status").asInt()).isEqualTo(403);
    }

    @Test
    void anOperationOnAPatternOfMBeansIsRefused() throws Exception {
        JsonNode stopAll = jolokia(exec("org.apache.camel:type=routes,*", "stop()"));
        assertThat(stopAll.path("status").asInt()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus("dead-letter-items")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void noSecretCanBeReadBackThroughAnyMBeanOrActuatorEndpoint() throws Exception {
        JsonNode names = jolokia(json.createObjectNode().put("type", "search").put("mbean", "*:*")).path("value");
        ArrayNode reads = json.createArrayNode();
        names.forEach(name -> reads.add(json.createObjectNode().put("type", "read").put("mbean", name.asText())
                .set("config", json.createObjectNode().put("ignoreErrors", true))));
        assertThat(reads.size()).as("MBeans read").isGreaterThan(50);
        HttpResponse<String> everything = hostile("POST", "/actuator/jolokia", OPERATOR, reads.toString());
        assertThat(everything.statusCode()).isEqualTo(200);
        assertThat(everything.body()).contains("org.apache.camel").contains("org.apache.activemq.artemis");
        assertNoSecret(everything.body());
        HttpResponse<String> list = hostile("POST", "/actuator/jolokia", OPERATOR, "{\"type\":\"list\"}");
        assertThat(list.statusCode()).isEqualTo(200);
        assertNoSecret(list.body());
        for (String path : new String[] {"/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/heapdump",
                "/actuator/threaddump", "/actuator/loggers", "/actuator/env/im.secret-key"}) {
            HttpResponse<String> response = hostile("GET", path, OPERATOR, null);
            assertThat(response.statusCode()).as(path + " is not exposed").isEqualTo(404);
            assertNoSecret(response.body());
        }
        for (String path : new String[] {"/actuator/prometheus", "/actuator/info", "/actuator/health", "/api/migration/status"}) {
            HttpResponse<String> response = hostile("GET", path, OPERATOR, null);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertNoSecret(response.body());
        }
    }

    @Test
    void deadLetterQueueAndRouteOperationsStillWork() throws Exception {
        String dlq = jolokia(json.createObjectNode().put("type", "search").put("mbean", "org.apache.activemq.artemis:broker=\""
                + broker.name() + "\",component=addresses,address=\"im.import.accounts.DLQ\",subcomponent=queues,*"))
                .path("value").get(0).asText();
        JsonNode count = jolokia(exec(dlq, "countMessages()"));
        assertThat(count.path("status").asInt()).as(count.toString()).isEqualTo(200);
        assertThat(count.path("value").asLong()).isZero();
        JsonNode browse = jolokia(exec(dlq, "browse()"));
        assertThat(browse.path("status").asInt()).as(browse.toString()).isEqualTo(200);
        JsonNode retry = jolokia(exec(dlq, "retryMessages()"));
        assertThat(retry.path("status").asInt()).as(retry.toString()).isEqualTo(200);
        // neighbours that are not DLQ handling: putting a message on a queue, changing the broker
        JsonNode send = jolokia(exec(dlq, "sendMessage(java.util.Map,int,java.lang.String,boolean,java.lang.String,java.lang.String)",
                null, 3, "forged", false, "", ""));
        assertThat(send.path("status").asInt()).isEqualTo(403);
        assertThat(jolokia(exec(dlq, "countMessages()")).path("value").asLong()).isZero();
        JsonNode deleteAddress = jolokia(exec("org.apache.activemq.artemis:broker=\"" + broker.name() + "\"",
                "deleteAddress(java.lang.String)", "im.import.accounts"));
        assertThat(deleteAddress.path("status").asInt()).isEqualTo(403);

        // this test's own context: other test contexts cached in the JVM register theirs under another management name
        String route = "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"dead-letter-items\"";
        assertThat(jolokia(exec(route, "stop()")).path("status").asInt()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("dead-letter-items")).isEqualTo(ServiceStatus.Stopped);
        assertThat(jolokia(exec(route, "start()")).path("status").asInt()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("dead-letter-items")).isEqualTo(ServiceStatus.Started);
        JsonNode remove = jolokia(exec(route, "remove()"));
        assertThat(remove.path("status").asInt()).isEqualTo(403);
        assertThat(camel.getRoute("dead-letter-items")).isNotNull();
    }

    // ---------------------------------------------------------------- cross-site

    @Test
    void jolokiaRefusesOtherSitesAndNeverReflectsAnOrigin() throws Exception {
        String read = "/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage";
        for (String path : new String[] {read, "/actuator/hawtio/jolokia/read/java.lang:type=Memory/HeapMemoryUsage"}) {
            HttpResponse<String> foreign = hostile("GET", path, OPERATOR, null, "Origin", "https://evil.example");
            assertThat(foreign.statusCode()).as(path).isEqualTo(403);
            assertThat(foreign.body()).contains("cross-site request refused");
            assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
            HttpResponse<String> crossSite = hostile("GET", path, OPERATOR, null, "Sec-Fetch-Site", "cross-site");
            assertThat(crossSite.statusCode()).as(path).isEqualTo(403);
        }
        HttpResponse<String> sameSite = hostile("GET", "/actuator/jolokia/exec/org.apache.camel:context=im-migration,type=routes,"
                + "name=%22dead-letter-items%22/stop()", OPERATOR, null, "Sec-Fetch-Site", "same-site");
        assertThat(sameSite.statusCode()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus("dead-letter-items")).isEqualTo(ServiceStatus.Started);
        HttpResponse<String> preflight = hostile("OPTIONS", "/actuator/jolokia", OPERATOR, null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        // this service's own page (same origin) still works, and still gets no CORS headers
        HttpResponse<String> own = hostile("GET", read, OPERATOR, null, "Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "same-origin");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("\"status\":200");
        assertThat(own.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void stateChangingOperatorRequestsFromOtherSitesAreRefused() throws Exception {
        for (String[] headers : new String[][] {{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"},
                {"Origin", "null"}, {"Origin", "http://127.0.0.1:" + port + ".evil.example"}}) {
            HttpResponse<String> response = hostile("POST", "/api/migration/stages/accounts/pause", OPERATOR, "{}", headers);
            assertThat(response.statusCode()).as(String.join("=", headers)).isEqualTo(403);
            assertThat(response.body()).contains("cross-site request refused");
            // the status page's replay of selected dead letters likewise
            HttpResponse<String> replay = hostile("POST", "/api/migration/stages/accounts/dlq/replay", OPERATOR,
                    "{\"sourceIds\": [\"1\"]}", headers);
            assertThat(replay.statusCode()).as(String.join("=", headers)).isEqualTo(403);
            assertThat(replay.body()).contains("cross-site request refused");
        }
        HttpResponse<String> status = http.send(request("GET", "/api/migration/status", OPERATOR, null).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).doesNotContain("\"paused\":true");
    }

    @Test
    void statusPageCarriesSecurityHeaders() throws Exception {
        HttpResponse<String> page = hostile("GET", "/", OPERATOR, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'self'").contains("object-src 'none'"));
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    // ---------------------------------------------------------------- bounded bodies

    @Test
    void a150MegabyteCallbackIsRefusedUnreadAndTheNextCallbackIsWritten() throws Exception {
        String head = "POST /im/callback?" + CALLBACK_QUERY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        RawHttp.Response streamed = raw("127.0.0.1", head, MB150, true);
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(json.readTree(streamed.body()).path("ErrorInfo").asText()).contains("request body too large").contains("1048576");
        assertThat(streamed.bodyBytesSent()).as("the server answered and hung up long before the whole body").isLessThan(MB150);

        RawHttp.Response declared = raw("127.0.0.1", head + "Content-Length: " + MB150 + "\r\n", MB150, false);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.bodyBytesSent()).isLessThan(MB150);

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        String key = "after-the-flood-" + System.nanoTime();
        HttpResponse<String> next = signedCallback(c2c("u1", "u2", key, "still here"), System.currentTimeMillis() / 1000);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(key) == 1);
    }

    @Test
    void oversizedIntakeBodiesAreRefusedBeforeTheSecretIsChecked() throws Exception {
        long before = intakeExchanges();
        String head = "POST /intake/old-system/c2c-message HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        RawHttp.Response streamed = raw("127.0.0.1", head, MB150, true);
        assertThat(streamed.status()).isEqualTo(413);
        JsonNode reason = json.readTree(streamed.body());
        assertThat(reason.path("accepted").asBoolean(true)).isFalse();
        assertThat(reason.path("reason").asText()).contains("request body too large");
        RawHttp.Response declared = raw("127.0.0.1", head + "X-Intake-Secret: " + INTAKE_SECRET + "\r\nContent-Length: "
                + (2 * 1024 * 1024) + "\r\n", 2 * 1024 * 1024, false);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(intakeExchanges()).isEqualTo(before);
        // a body just within the limit is read and judged on its merits (here: not JSON)
        byte[] atLimit = new byte[1024 * 1024];
        java.util.Arrays.fill(atLimit, (byte) 'x');
        HttpResponse<String> within = http.send(request("POST", "/intake/old-system/c2c-message", null, null)
                .header("X-Intake-Secret", INTAKE_SECRET).POST(HttpRequest.BodyPublishers.ofByteArray(atLimit)).build(),
                HttpResponse.BodyHandlers.ofString());
        SENT.incrementAndGet();
        assertThat(within.statusCode()).isEqualTo(400);
        assertThat(within.body()).contains("body is not JSON");
    }

    // ---------------------------------------------------------------- callbacks and intake

    @Test
    void forgedStaleAndOverflowingCallbacksWriteNothing() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String key = "forged-" + System.nanoTime();
        String body = c2c("u1", "u2", key, "forged");
        HttpResponse<String> unsigned = hostile("POST", "/im/callback?" + CALLBACK_QUERY, null, body);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("Sign and RequestTime are required");
        HttpResponse<String> wrongToken = callback(body, sign("not-the-token", now), now);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.body()).contains("Sign does not match");
        HttpResponse<String> stale = callback(body, sign(TOKEN, now - 3600), now - 3600);
        assertThat(stale.statusCode()).isEqualTo(403);
        long overflow = now - Long.MAX_VALUE - 1; // now - 2^63: |now - t| overflowed and passed the 60 s check
        HttpResponse<String> overflowing = callback(body, sign(TOKEN, overflow), overflow);
        assertThat(overflowing.statusCode()).isEqualTo(403);
        assertThat(overflowing.body()).contains("RequestTime is");
        HttpResponse<String> otherApp = hostile("POST", "/im/callback?SdkAppid=1400000001&CallbackCommand=C2C.CallbackAfterSendMsg&Sign="
                + sign(TOKEN, now) + "&RequestTime=" + now, null, body);
        assertThat(otherApp.statusCode()).isEqualTo(403);
        assertThat(otherApp.body()).contains("SdkAppid");
        for (String method : new String[] {"GET", "PUT", "DELETE"}) {
            HttpResponse<String> wrongMethod = hostile(method, "/im/callback?" + CALLBACK_QUERY, null, "PUT".equals(method) ? body : null);
            assertThat(wrongMethod.statusCode()).as(method).isEqualTo(405);
            assertThat(wrongMethod.body()).as(method).contains("\"ActionStatus\":\"FAIL\"");
        }
        HttpResponse<String> good = signedCallback(c2c("u1", "u2", key + "-control", "control"), now);
        assertThat(good.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(key + "-control") == 1);
        assertThat(rows(key)).as("no forged, stale or replayed callback was written").isZero();
    }

    @Test
    void theIntakeWantsItsSecretInItsHeader() throws Exception {
        long before = intakeExchanges();
        String change = "{\"msgId\":\"hostile-1\",\"from\":\"1\",\"to\":\"2\",\"text\":\"x\",\"time\":" + System.currentTimeMillis() / 1000 + "}";
        HttpResponse<String> none = hostile("POST", "/intake/old-system/c2c-message", null, change);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("missing or wrong X-Intake-Secret header");
        HttpResponse<String> wrong = hostile("POST", "/intake/old-system/c2c-message", null, change, "X-Intake-Secret", INTAKE_SECRET + "x");
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> inQuery = hostile("POST", "/intake/old-system/c2c-message?X-Intake-Secret="
                + URLEncoder.encode(INTAKE_SECRET, StandardCharsets.UTF_8), null, change);
        assertThat(inQuery.statusCode()).isEqualTo(401);
        HttpResponse<String> traversal = hostile("POST", "/intake/old-system/..%2F..%2Fapi%2Fmigration%2Fpause", null, change,
                "X-Intake-Secret", INTAKE_SECRET);
        assertThat(traversal.statusCode()).isIn(400, 404);
        HttpResponse<String> get = hostile("GET", "/intake/old-system/c2c-message", null, null, "X-Intake-Secret", INTAKE_SECRET);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(intakeExchanges()).as("nothing reached the old -> IM queue").isEqualTo(before);
    }

    @Test
    void pathTricksReachNoOperatorEndpointWithoutTheCredential() throws Exception {
        for (String path : new String[] {"/im/callback/..;/actuator/jolokia/version", "/intake/old-system/../../actuator/jolokia/version",
                "/im/callback/%2e%2e/api/migration/status", "/actuator/./jolokia/version", "/ACTUATOR/JOLOKIA/version",
                "/actuator//jolokia/version", "/v4/..%2F..%2Factuator%2Fjolokia%2Fversion", "/im/callback%2F..%2Fapi%2Fmigration%2Fstatus",
                "/actuator/jolokia;x=y/version", "/%61ctuator/jolokia/version"}) {
            RawHttp.Response response = raw("127.0.0.1", "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", 0, false);
            assertThat(response.status()).as(path).isIn(400, 401, 404, 405);
            assertThat(response.body()).as(path).doesNotContain("\"agent\"").doesNotContain("\"stages\"");
        }
        RawHttp.Response trace = raw("127.0.0.1", "TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + OPERATOR
                + "\r\nConnection: close\r\n", 0, false);
        assertThat(trace.status()).isIn(400, 405);
        assertThat(trace.body()).doesNotContain(OPERATOR.substring(6));
    }

    // ---------------------------------------------------------------- logins and log lines

    @Test
    void failedLoginsAreLoggedWithoutThePasswordAndThrottledPerClient(CapturedOutput output) throws Exception {
        String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString("mallory:guess-0a1b2c".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            RawHttp.Response failed = raw("127.0.0.2", get("/api/migration/status", wrong), 0, false);
            assertThat(failed.status()).isEqualTo(401);
        }
        RawHttp.Response throttled = raw("127.0.0.2", get("/api/migration/status", wrong), 0, false);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(throttled.body()).contains("too many failed logins");
        RawHttp.Response evenTheRightOne = raw("127.0.0.2", get("/api/migration/status", OPERATOR), 0, false);
        assertThat(evenTheRightOne.status()).as("the throttled client is refused whatever it sends").isEqualTo(429);
        RawHttp.Response otherClient = raw("127.0.0.6", get("/api/migration/status", OPERATOR), 0, false);
        assertThat(otherClient.status()).as("other clients are not locked out").isEqualTo(200);
        assertThat(output.getAll()).contains("operator login failed for user 'mallory' from 127.0.0.2 (1 of 3")
                .contains("operator login failed for user 'mallory' from 127.0.0.2 (3 of 3").doesNotContain("guess-0a1b2c");
    }

    @Test
    void requestValuesCannotForgeLogLines(CapturedOutput output) throws Exception {
        RawHttp.Response command = raw("127.0.0.3", "POST /im/callback?SdkAppid=1400000000&CallbackCommand=X%0D%0AFORGED-BY-QUERY"
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n", 0, false);
        assertThat(command.status()).isEqualTo(403); // unsigned: refused before the command is looked at
        long now = System.currentTimeMillis() / 1000;
        String key = "crlf-" + System.nanoTime();
        String forgedField = c2c("u1\\nFORGED-BY-FIELD ERROR everything is fine", "u2", key, "x");
        SENT.incrementAndGet();
        RawHttp.Response field = RawHttp.send("127.0.0.5", port, "POST /im/callback?" + CALLBACK_QUERY + "&Sign=" + sign(TOKEN, now)
                + "&RequestTime=" + now + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n",
                forgedField.getBytes(StandardCharsets.UTF_8));
        assertThat(field.status()).isIn(200, 400);
        // both values reach the log: the query's in the refusal line, the field's in the dead-letter reason
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains("client 127.0.0.3")
                && output.getAll().contains("FORGED-BY-FIELD"));
        for (String line : output.getAll().split("\\R")) {
            assertThat(line).doesNotStartWith("FORGED-BY-QUERY").doesNotStartWith("FORGED-BY-FIELD");
        }
    }

    @Test
    void refusedRequestsDoNotFloodTheLog(CapturedOutput output) throws Exception {
        for (int i = 0; i < 40; i++) {
            RawHttp.Response refused = raw("127.0.0.4", "POST /intake/old-system/c2c-message HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nConnection: close\r\n", 0, false);
            assertThat(refused.status()).isEqualTo(401);
        }
        long lines = output.getAll().lines().filter(l -> l.contains("(client 127.0.0.4)")).count();
        assertThat(lines).as("one line for 40 refusals from one client within the interval").isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private HttpResponse<String> hostile(String method, String path, String authorization, String body, String... headers) throws Exception {
        SENT.incrementAndGet();
        HttpRequest.Builder request = request(method, path, authorization, body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private RawHttp.Response raw(String client, String head, long bodyBytes, boolean chunked) throws Exception {
        SENT.incrementAndGet();
        if (bodyBytes == 0 && !head.contains("Content-Length") && head.startsWith("POST")) {
            head += "Content-Length: 0\r\n";
        }
        return RawHttp.send(client, port, head, bodyBytes, chunked);
    }

    private static String get(String path, String authorization) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization + "\r\nConnection: close\r\n";
    }

    private JsonNode jolokia(JsonNode request) throws Exception {
        HttpResponse<String> response = hostile("POST", "/actuator/jolokia", OPERATOR, request.toString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertNoSecret(response.body());
        return json.readTree(response.body());
    }

    private ObjectNode exec(String mbean, String operation, Object... arguments) {
        ObjectNode exec = json.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
        ArrayNode args = exec.putArray("arguments");
        for (Object argument : arguments) {
            args.add(json.valueToTree(argument));
        }
        return exec;
    }

    private void assertDenied(HttpResponse<String> response, String what) throws Exception {
        assertNoSecret(response.body());
        assertThat(response.statusCode()).as(what).isIn(200, 403);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.path("status").asInt()).as(what + ": " + response.body()).isEqualTo(403);
        assertThat(answer.path("error").asText()).as(what + ": " + response.body()).contains("forbidden");
    }

    private static void assertNoSecret(String text) {
        for (String secret : SECRETS) {
            assertThat(text).doesNotContain(secret);
        }
    }

    private HttpResponse<String> signedCallback(String body, long now) throws Exception {
        return callback(body, sign(TOKEN, now), now);
    }

    private HttpResponse<String> callback(String body, String sign, long requestTime) throws Exception {
        return hostile("POST", "/im/callback?" + CALLBACK_QUERY + "&Sign=" + sign + "&RequestTime=" + requestTime, null, body);
    }

    private static String sign(String token, long requestTime) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest((token + requestTime).getBytes(StandardCharsets.UTF_8)));
    }

    private static String c2c(String from, String to, String msgKey, String text) {
        return "{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"" + from + "\",\"To_Account\":\"" + to
                + "\",\"MsgSeq\":1,\"MsgRandom\":7,\"MsgTime\":" + (System.currentTimeMillis() / 1000) + ",\"MsgKey\":\"" + msgKey
                + "\",\"SendMsgResult\":0,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" + text + "\"}}]}";
    }

    private int rows(String imRef) {
        Integer count = new JdbcTemplate(oldSystem).queryForObject("SELECT COUNT(*) FROM messages WHERE im_ref = ?", Integer.class, imRef);
        return count == null ? 0 : count;
    }

    private long intakeExchanges() throws Exception {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("sync-old-to-im-enqueue").getExchangesTotal();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
