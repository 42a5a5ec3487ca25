package org.imsmooth.im.contract;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.imsmooth.im.CamelImTransports;
import org.imsmooth.im.ImAccounts;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.ImCallException;
import org.imsmooth.im.ImClientConfiguration;
import org.imsmooth.im.ImFriends;
import org.imsmooth.im.ImGroupImport;
import org.imsmooth.im.ImGroupLive;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.ImProfiles;
import org.imsmooth.im.ImProperties;
import org.imsmooth.im.ImRetryableException;
import org.imsmooth.im.ImTransport;
import org.imsmooth.im.RateLimitRetry;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportResult;
import org.imsmooth.sandbox.standalone.SandboxStandalone;
import org.imsmooth.sandbox.support.CallbackReceiver;
import org.imsmooth.sandbox.support.TestSandboxClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real IM client (region {@code sandbox}: the lazily resolved local port) against the real sandbox in one
 * light context shared by every contract test class; each test starts from a wiped sandbox. The client runs
 * on Camel's HTTP component (a Camel context without routes of its own).
 */
@SpringBootTest(classes = {SandboxStandalone.class, ImClientConfiguration.class, TestSandboxClock.class, CamelAutoConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sandbox.enabled=true", "sandbox.sdk-app-id=1400000000", "sandbox.admin=administrator",
                "sandbox.secret-key=" + ContractTestBase.KEY, "sandbox.callback.token=contract-token",
                "sandbox.quota.default-calls-per-second=0", "sandbox.limits.friend-get-page=2", "sandbox.profile.custom-tags=Tag_Profile_Custom_Hobby",
                "im.region=sandbox", "im.sdk-app-id=1400000000", "im.admin=administrator",
                "im.secret-key=" + ContractTestBase.KEY, "spring.jmx.enabled=false",
                "camel.main.routes-collector-enabled=false", "camel.main.jmx-enabled=false"})
abstract class ContractTestBase {

    /** Second clients a test makes (other credentials or timeouts), each in a Camel context of its own. */
    final CamelImTransports transports = new CamelImTransports();

    @AfterEach
    void stopSecondClients() {
        transports.close();
    }

    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    static final CallbackReceiver RECEIVER = new CallbackReceiver();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;
    /** The sandbox's clock: tests freeze it to count quotas instead of racing the wall clock. */
    @Autowired
    TestSandboxClock sandboxClock;
    @Autowired
    Environment environment;
    @Autowired
    ImAccounts accounts;
    @Autowired
    ImProfiles profiles;
    @Autowired
    ImFriends friends;
    @Autowired
    ImC2cMessages c2c;
    @Autowired
    ImGroupImport groupImport;
    @Autowired
    ImGroupLive groupLive;
    @Autowired
    ImGroupReads groupReads;

    @DynamicPropertySource
    static void contractProperties(DynamicPropertyRegistry r) {
        r.add("sandbox.state-url", () -> "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        r.add("sandbox.callback.url", RECEIVER::url);
    }

    @BeforeEach
    void resetSandbox() {
        sandboxClock.release();
        admin("/sandbox/admin/reset", "{}");
        admin("/sandbox/admin/faults", "{\"latencyMs\":0,\"rate\":0,\"kinds\":[],\"timeoutMs\":5000}");
        admin("/sandbox/admin/quota", "{\"defaultCallsPerSecond\":0}");
        RECEIVER.clear();
    }

    /** POSTs to a sandbox admin endpoint; the answer must be HTTP 200. */
    JsonNode admin(String path, String body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as("admin %s: %s", path, r.body()).isEqualTo(200);
        return read(r.body());
    }

    JsonNode adminGet(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        return read(r.body());
    }

    /** A second client on the same sandbox with other credentials or timeouts, built the way the beans are. */
    ImTransport transport(String secretKey, Duration requestTimeout) {
        ImProperties p = new ImProperties("sandbox", "http://127.0.0.1:" + port, 1400000000L, "administrator",
                secretKey, null, requestTimeout, Duration.ofSeconds(2), Duration.ofDays(1));
        return transports.transport(p, environment, new SimpleMeterRegistry(), RateLimitRetry.NONE);
    }

    /** Imports plain accounts through the client (old form) and checks none failed. */
    void importAccounts(String... ids) {
        MultiAccountImportResult r = accounts.multiaccountImport(MultiAccountImportRequest.ofIds(List.of(ids)));
        assertThat(r.failedItems()).isEmpty();
    }

    static ImPermanentException permanent(int code, ThrowingCallable call) {
        return failure(ImPermanentException.class, code, call);
    }

    static ImRetryableException retryable(int code, ThrowingCallable call) {
        return failure(ImRetryableException.class, code, call);
    }

    static <E extends ImCallException> E failure(Class<E> type, int code, ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).as("expected %s with ErrorCode %d", type.getSimpleName(), code).isInstanceOf(type);
        E e = type.cast(t);
        assertThat(e.errorCode()).as("ErrorCode of %s", e.getMessage()).isEqualTo(code);
        assertThat(e.retryable()).isEqualTo(type == ImRetryableException.class);
        return e;
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static List<CallbackReceiver.Received> awaitCallbacks(String command, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.of(command).size() >= n);
        return RECEIVER.of(command);
    }

    private static HttpResponse<String> send(HttpRequest req) {
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
