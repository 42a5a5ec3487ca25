package org.imsmooth.im;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.ImEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Authentication and envelope handling shared by every IM facade: checks the UserSig and the base URL,
 * writes the JSON body, has {@link ImHttp} POST it with IM's common query string (sdkappid, identifier,
 * usersig, fresh random, contenttype=json), and turns the answer into a typed result or an
 * {@link ImRetryableException} / {@link ImPermanentException}. The HTTP leg is {@link ImHttp}: Camel's
 * HTTP component, one route per IM API.
 * <p>
 * The URL is never logged or put into an exception: its query string carries the UserSig.
 */
public class ImTransport {

    private static final Logger log = LoggerFactory.getLogger(ImTransport.class);
    private static final String REDACTED = "[redacted]";
    public static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

    private final ImProperties properties;
    private final ImEndpoint endpoint;
    private final AdminUserSig userSig;
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);
    private final ImHttp http;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final RateLimitRetry rateLimitRetry;

    public ImTransport(ImProperties properties, ImEndpoint endpoint, AdminUserSig userSig, ImHttp http, MeterRegistry metrics) {
        this(properties, endpoint, userSig, http, metrics, RateLimitRetry.NONE);
    }

    /**
     * @param metrics        where every call is timed: {@code imsmooth.im.calls} by api, outcome and IM error code
     * @param rateLimitRetry asked after each rate-limit answer whether to send the call again (once it has a new slot)
     */
    public ImTransport(ImProperties properties, ImEndpoint endpoint, AdminUserSig userSig, ImHttp http, MeterRegistry metrics,
                       RateLimitRetry rateLimitRetry) {
        this.metrics = metrics;
        this.rateLimitRetry = rateLimitRetry;
        this.properties = properties;
        this.endpoint = endpoint;
        this.userSig = userSig;
        this.http = http;
        // Own mapper: the wire format must not change with the application's Jackson settings.
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** Calls an API whose answer is the envelope only. */
    public ImEnvelope call(ImApi api, Object request) {
        return call(api, request, ImEnvelope.class);
    }

    /**
     * Calls {@code api} with {@code request} as the JSON body ({@code {}} when null) and reads the
     * answer as {@code resultType}. Returns only when IM answered ActionStatus OK with ErrorCode 0;
     * per-item failures of batch calls are then in the result's {@code failedItems()}. A rate-limit answer
     * sends the call again when the {@link RateLimitRetry} gives it a new slot (each try is timed apart).
     */
    public <R> R call(ImApi api, Object request, Class<R> resultType) {
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try {
                R result = exchange(api, request, resultType);
                rateLimitRetry.answered(api);
                record(api, "ok", "0", started);
                return result;
            } catch (ImCallException e) {
                String code = e.errorCode() != ImCallException.NO_CODE ? String.valueOf(e.errorCode())
                        : e.httpStatus() > 0 && e.httpStatus() != 200 ? "http-" + e.httpStatus() : "none";
                if (e.httpStatus() == 200 && !ImErrorClassifier.isRateLimit(e.errorCode())) {
                    rateLimitRetry.answered(api); // IM answered, so it counted the call
                }
                record(api, e.retryable() ? "retryable" : "permanent", code, started);
                if (!(ImErrorClassifier.isRateLimit(e.errorCode()) && rateLimitRetry.awaitRetry(api, e.errorCode(), attempt))) {
                    throw e;
                }
                log.debug("IM {} answered rate limited ({}): sent again, try {}", api.path(), code, attempt + 1);
            }
        }
    }

    private void record(ImApi api, String outcome, String code, long startedNanos) {
        Timer.builder("imsmooth.im.calls").description("Tencent IM REST calls by API, outcome and ErrorCode")
                .tag("api", api.command()).tag("outcome", outcome).tag("code", code)
                .register(metrics).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    private <R> R exchange(ImApi api, Object request, Class<R> resultType) {
        byte[] body = toJson(api, request);
        checkReady(api);
        long started = System.nanoTime();
        ImHttp.Answer response = send(api, body);
        long millis = (System.nanoTime() - started) / 1_000_000;

        int status = response.status();
        if (status != 200) {
            log.debug("IM {} answered HTTP {} in {} ms", api.path(), status, millis);
            throw ImErrorClassifier.isRetryableHttpStatus(status)
                    ? new ImRetryableException(api, ImCallException.NO_CODE, "HTTP status " + status, status)
                    : new ImPermanentException(api, ImCallException.NO_CODE, "HTTP status " + status, status);
        }
        JsonNode tree;
        ImEnvelope envelope;
        try {
            tree = json.readTree(response.body());
            envelope = json.treeToValue(tree, ImEnvelope.class);
        } catch (IOException | IllegalArgumentException e) {
            log.debug("IM {} answered a body that is not an IM envelope ({} ms)", api.path(), millis);
            throw new ImPermanentException(api, ImCallException.NO_CODE, "response is not an IM JSON envelope", status);
        }
        if (envelope == null || !envelope.isOk()) {
            int code = envelope == null ? ImCallException.NO_CODE : envelope.codeOrUnknown();
            String info = envelope == null ? "empty response" : scrub(envelope.errorInfo());
            boolean retryable = ImErrorClassifier.isRetryable(code);
            log.debug("IM {} failed with ErrorCode {} ({}) in {} ms, {}", api.path(), code, info, millis,
                    retryable ? "retryable" : "permanent");
            throw retryable
                    ? new ImRetryableException(api, code, info, status)
                    : new ImPermanentException(api, code, info, status);
        }
        log.debug("IM {} OK in {} ms", api.path(), millis);
        if (resultType == ImEnvelope.class) {
            return resultType.cast(envelope);
        }
        try {
            return json.treeToValue(tree, resultType);
        } catch (JsonProcessingException e) {
            throw new ImPermanentException(api, ImCallException.NO_CODE,
                    "response does not match " + resultType.getSimpleName() + ": " + scrub(e.getOriginalMessage()), status);
        }
    }

    private ImHttp.Answer send(ImApi api, byte[] body) {
        try {
            return http.post(api, body);
        } catch (InterruptedIOException e) {
            // Apache HttpClient: SocketTimeoutException, connect and pool-lease timeouts
            log.debug("IM {} timed out ({})", api.path(), e.getClass().getSimpleName());
            throw new ImRetryableException(api, ImCallException.NO_CODE, "timeout: " + scrub(e.getMessage()), 0);
        } catch (IOException e) {
            log.debug("IM {} connection failed ({})", api.path(), e.getClass().getSimpleName());
            throw new ImRetryableException(api, ImCallException.NO_CODE,
                    "connection failed: " + e.getClass().getSimpleName() + " " + scrub(e.getMessage()), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImRetryableException(api, ImCallException.NO_CODE, "interrupted", 0);
        }
    }

    /** A missing SecretKey refuses every call (permanent); the sandbox's port not known yet passes (retryable). */
    private void checkReady(ImApi api) {
        try {
            userSig.get();
        } catch (IllegalStateException e) {
            throw new ImPermanentException(api, ImCallException.NO_CODE, e.getMessage(), 0);
        }
        try {
            endpoint.baseUri();
        } catch (IllegalStateException e) {
            // Only the sandbox before the web server is up: that passes.
            throw new ImRetryableException(api, ImCallException.NO_CODE, e.getMessage(), 0);
        }
    }

    private byte[] toJson(ImApi api, Object request) {
        if (request == null) {
            return EMPTY_OBJECT; // IM rejects an empty body
        }
        try {
            return json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new ImPermanentException(api, ImCallException.NO_CODE,
                    "request cannot be written as JSON: " + e.getOriginalMessage(), 0);
        }
    }

    /** Removes credentials from text IM or the HTTP client produced, before it reaches a message or log. */
    private String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : new String[]{userSig.peek(), properties.secretKey(), properties.callbackToken()}) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, REDACTED);
                out = out.replace(encode(secret), REDACTED);
            }
        }
        return out;
    }

    private static String encode(String s) {
        return ImQueryString.encode(s);
    }

    @Override
    public String toString() {
        return "ImTransport[" + http.name() + ", api path prefix v4/, admin=" + properties.admin() + "]";
    }
}
