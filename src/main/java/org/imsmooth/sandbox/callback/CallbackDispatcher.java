package org.imsmooth.sandbox.callback;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import org.imsmooth.im.api.ImCallbackCommand;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Fires after-event callbacks (reference section 7) asynchronously. Events of one conversation or
 * group go to the same single-thread lane, so they arrive in the order they happened. One attempt,
 * 2 s timeout, no retry, as documented; failures are logged without Sign or token.
 */
@Component
@ConditionalOnSandbox
public class CallbackDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prefix of a callback URL on this service's own port, e.g. {@code local:/im/callback}. */
    static final String LOCAL = "local:";

    private final SandboxProperties props;
    private final ExecutorService[] lanes;
    private final HttpClient http;
    private final ArrayDeque<CallbackRecord> recent = new ArrayDeque<>();
    private final AtomicLong ids = new AtomicLong();

    private final Environment environment;

    public CallbackDispatcher(SandboxProperties props, Environment environment) {
        this.props = props;
        this.environment = environment;
        int n = Math.max(1, props.getCallback().getLanes());
        this.lanes = new ExecutorService[n];
        for (int i = 0; i < n; i++) {
            int lane = i;
            lanes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sandbox-callback-" + lane);
                t.setDaemon(true);
                return t;
            });
        }
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(props.getCallback().getTimeoutMs())).build();
    }

    public boolean enabled() {
        String url = props.getCallback().getUrl();
        return url != null && !url.isBlank();
    }

    /** A body starting with CallbackCommand; group callbacks also get EventTime (ms) when fired. */
    public static ObjectNode body(ImCallbackCommand command) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("CallbackCommand", command.wireName());
        return n;
    }

    /**
     * Queues a callback. {@code orderKey} is the conversation or group whose events must stay ordered.
     */
    public void fire(ImCallbackCommand command, String orderKey, String optPlatform, String clientIp, ObjectNode body) {
        if (!enabled()) {
            return;
        }
        if (command.wireName().startsWith("Group.") && !body.has("EventTime")) {
            body.put("EventTime", System.currentTimeMillis());
        }
        int lane = Math.floorMod(orderKey == null ? 0 : orderKey.hashCode(), lanes.length);
        lanes[lane].execute(() -> deliver(command, optPlatform, clientIp, body));
    }

    /**
     * The callback URL; {@code local:/path} is this service's own port, looked up at each callback
     * because {@code local.server.port} exists only once the web server runs (random ports in tests).
     */
    String callbackUrl() {
        String url = props.getCallback().getUrl().trim();
        if (!url.startsWith(LOCAL)) {
            return url;
        }
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (port == null || port <= 0) {
            port = environment.getProperty("server.port", Integer.class, 8080);
        }
        return "http://127.0.0.1:" + port + url.substring(LOCAL.length());
    }

    private void deliver(ImCallbackCommand command, String optPlatform, String clientIp, ObjectNode body) {
        String url = callbackUrl();
        String token = props.getCallback().getToken();
        long requestTime = System.currentTimeMillis() / 1000;
        String query = "SdkAppid=" + props.getSdkAppId()
                + "&CallbackCommand=" + enc(command.wireName())
                + "&contenttype=json"
                + "&ClientIP=" + enc(clientIp == null ? "" : clientIp)
                + "&OptPlatform=" + enc(optPlatform);
        String signed = query;
        if (token != null && !token.isEmpty()) {
            query += "&RequestTime=" + requestTime;
            signed = query.replace("&RequestTime=", "&Sign=" + sign(token, requestTime) + "&RequestTime=");
        }
        String target = url + (url.contains("?") ? "&" : "?") + signed;
        long start = System.nanoTime();
        int status = 0;
        String outcome;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(target))
                    .timeout(Duration.ofMillis(props.getCallback().getTimeoutMs()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            status = resp.statusCode();
            outcome = status == 200 && isJson(resp.body()) ? "OK" : "FAILED: HTTP " + status;
        } catch (java.net.http.HttpTimeoutException e) {
            outcome = "FAILED: timeout";
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            outcome = "FAILED: " + e.getClass().getSimpleName();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (!"OK".equals(outcome)) {
            // The URL is logged without query string: it is the app's endpoint, the query holds the Sign.
            log.warn("callback {} to {} {} after {} ms (not retried)", command.wireName(), url, outcome, ms);
        }
        remember(new CallbackRecord(ids.incrementAndGet(), command.wireName(), optPlatform, query, requestTime,
                status, outcome, ms, body));
    }

    private static boolean isJson(String s) {
        try {
            JsonNode n = JSON.readTree(s);
            return n != null && n.isObject();
        } catch (Exception e) {
            return false;
        }
    }

    private synchronized void remember(CallbackRecord r) {
        recent.addLast(r);
        while (recent.size() > Math.max(1, props.getCallback().getLogSize())) {
            recent.removeFirst();
        }
    }

    public synchronized List<CallbackRecord> recent() {
        return new ArrayList<>(recent);
    }

    public synchronized void clearLog() {
        recent.clear();
    }

    /** Sign = lowercase hex SHA-256 of token + RequestTime (plain concatenation, not HMAC). */
    public static String sign(String token, long requestTime) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest((token + requestTime).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @PreDestroy
    public void stop() throws InterruptedException {
        for (ExecutorService e : lanes) {
            e.shutdown();
        }
        for (ExecutorService e : lanes) {
            e.awaitTermination(3, TimeUnit.SECONDS);
        }
    }
}
