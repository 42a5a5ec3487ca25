package org.imsmooth.sandbox.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.standalone.SandboxStandalone;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * One shared standalone-sandbox context (in-memory H2, a local callback receiver) for the suite;
 * every test starts from a wiped state via /sandbox/admin/reset.
 */
@SpringBootTest(classes = {SandboxStandalone.class, TestSandboxClock.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sandbox.enabled=true", "sandbox.sdk-app-id=1400000000", "sandbox.admin=administrator",
                "sandbox.secret-key=" + SandboxTestBase.KEY, "sandbox.callback.token=" + SandboxTestBase.TOKEN,
                "sandbox.limits.friend-get-page=2", "sandbox.profile.custom-tags=Tag_Profile_Custom_Hobby",
                "sandbox.quota.default-calls-per-second=0", "spring.jmx.enabled=false"})
public abstract class SandboxTestBase {

    public static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    public static final String TOKEN = "cb-token-xyz";
    public static final long APP_ID = 1400000000L;
    public static final String ADMIN = "administrator";
    protected static final CallbackReceiver RECEIVER = new CallbackReceiver();
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    /** The sandbox's clock: tests freeze it to count quotas, and read the waits it was asked for. */
    @Autowired
    protected TestSandboxClock clock;

    @DynamicPropertySource
    static void sandboxProperties(DynamicPropertyRegistry r) {
        r.add("sandbox.state-url", () -> "jdbc:h2:mem:sandbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        r.add("sandbox.callback.url", RECEIVER::url);
    }

    @BeforeEach
    void resetSandbox() {
        clock.release();
        clock.clearSleeps();
        admin("POST", "/sandbox/admin/reset", "{}");
        admin("POST", "/sandbox/admin/faults", "{\"latencyMs\":0,\"rate\":0,\"kinds\":[]}");
        admin("POST", "/sandbox/admin/quota", "{\"defaultCallsPerSecond\":0,\"window\":\"sliding\"}");
        RECEIVER.clear();
    }

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    protected static String sig() {
        return TestUserSigSigner.sign(KEY, APP_ID, ADMIN, System.currentTimeMillis() / 1000, 86400);
    }

    protected String query(String userSig) {
        return "?sdkappid=" + APP_ID + "&identifier=" + ADMIN + "&usersig=" + userSig + "&random="
                + ThreadLocalRandom.current().nextLong(1L << 32) + "&contenttype=json";
    }

    /** Calls an IM API as the admin and returns the parsed reply (HTTP must be 200). */
    protected JsonNode im(ImApi api, String body) {
        HttpResponse<String> r = post("/" + api.path() + query(sig()), body);
        if (r.statusCode() != 200) {
            throw new AssertionError("HTTP " + r.statusCode() + " for " + api.command() + ": " + r.body());
        }
        return read(r.body());
    }

    protected JsonNode imOk(ImApi api, String body) {
        JsonNode n = im(api, body);
        if (!"OK".equals(n.path("ActionStatus").asText()) || n.path("ErrorCode").asInt() != 0) {
            throw new AssertionError(api.command() + " failed: " + n);
        }
        return n;
    }

    protected HttpResponse<String> post(String pathAndQuery, String body) {
        return send(HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body)).build());
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    protected HttpResponse<String> admin(String method, String path, String body) {
        return "GET".equals(method) ? get(path) : post(path, body);
    }

    protected static HttpResponse<String> send(HttpRequest req) {
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    protected void accounts(String... ids) {
        StringBuilder sb = new StringBuilder("{\"Accounts\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i > 0 ? "," : "").append('"').append(ids[i]).append('"');
        }
        JsonNode r = imOk(ImApi.MULTIACCOUNT_IMPORT, sb.append("]}").toString());
        if (!r.path("FailAccounts").isEmpty()) {
            throw new AssertionError("account import failed: " + r);
        }
    }

    protected static String text(String t) {
        return "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" + t + "\"}}]";
    }

    protected static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Waits until the receiver has at least n callbacks of this command. */
    protected static List<CallbackReceiver.Received> awaitCallbacks(String command, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.of(command).size() >= n);
        return RECEIVER.of(command);
    }
}
