package org.imsmooth.sandbox.http;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.auth.RestAuthenticator;
import org.imsmooth.sandbox.quota.CallQuota;
import org.imsmooth.sandbox.quota.FaultInjector;
import org.imsmooth.sandbox.quota.SandboxStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v4/{service}/{command}}: the Tencent IM REST surface. Order of checks mirrors the service:
 * resource → auth → quota → injected faults → JSON → the API. Business errors stay HTTP 200.
 * Logs carry the command only, never the query string (it holds the UserSig).
 */
@RestController
@ConditionalOnSandbox
public class V4ApiController {

    private static final Logger log = LoggerFactory.getLogger(V4ApiController.class);

    private final Map<ImApi, ImApiHandler> handlers = new EnumMap<>(ImApi.class);
    private final RestAuthenticator auth;
    private final CallQuota quota;
    private final FaultInjector faults;
    private final SandboxStats stats;
    private final ObjectMapper json = new ObjectMapper();

    public V4ApiController(List<ImApiArea> areas, RestAuthenticator auth, CallQuota quota, FaultInjector faults,
                           SandboxStats stats) {
        areas.forEach(a -> handlers.putAll(a.handlers()));
        this.auth = auth;
        this.quota = quota;
        this.faults = faults;
        this.stats = stats;
    }

    @RequestMapping("/v4/{service}/{command}")
    public ResponseEntity<?> call(@PathVariable String service, @PathVariable String command,
                                  @RequestBody(required = false) byte[] body, HttpServletRequest http) {
        Optional<ImApi> found = ImApi.byPath(service, command);
        if (found.isEmpty() || !handlers.containsKey(found.get())) {
            stats.call("unknown");
            return reply(service, ImReply.fail(60009, "bad resource URL: " + service + "/" + command));
        }
        ImApi api = found.get();
        stats.call(api.command());
        if (!"POST".equals(http.getMethod())) {
            return failed(api, ImReply.fail(60008, "only HTTP POST is supported"));
        }
        RestAuthenticator.Failure denied = auth.check(http.getParameter("sdkappid"), http.getParameter("identifier"),
                http.getParameter("usersig"), http.getParameter("random"), http.getParameter("contenttype"));
        if (denied != null) {
            return failed(api, ImReply.fail(denied.code(), denied.info()));
        }
        if (!quota.tryAcquire(api)) {
            stats.rejected(api.command());
            return failed(api, ImReply.fail(quota.errorCode(), "REST API call rate exceeded for " + api.command()));
        }
        FaultInjector.Settings fs = faults.settings();
        FaultInjector.sleep(fs.latencyMs());
        FaultInjector.Decision fault = faults.decide();
        if (fault.kind() != null) {
            stats.fault(fault.kind());
            switch (fault.kind()) {
                case "http-500":
                    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.TEXT_PLAIN)
                            .body("500 Internal Server Error");
                case "http-502":
                    return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.TEXT_PLAIN)
                            .body("502 Bad Gateway");
                case "error-code":
                    return failed(api, ImReply.fail(FaultInjector.retryableCode(service), "internal error, please retry (injected)"));
                case "rate-limit":
                    return failed(api, ImReply.fail(quota.errorCode(), "REST API call rate exceeded (injected)"));
                default:
                    // "timeout": answer (and apply the call) only after the client has likely given up.
                    FaultInjector.sleep(fs.timeoutMs());
            }
        }
        ObjectNode parsed = parse(body);
        if (parsed == null) {
            return failed(api, ImReply.fail(parseErrorCode(service), "JSON parse error: the body must be a JSON object"));
        }
        try {
            ObjectNode out = handlers.get(api).handle(new ImRequest(api, parsed, http.getParameter("identifier"),
                    http.getRemoteAddr()));
            if (!"OK".equals(out.path("ActionStatus").asText())) {
                stats.failed(api.command());
            }
            return reply(service, out);
        } catch (ImApiException e) {
            return failed(api, ImReply.fail(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            log.error("sandbox {} failed", api.command(), e);
            return failed(api, ImReply.fail(FaultInjector.retryableCode(service), "internal error, please retry"));
        }
    }

    private ResponseEntity<?> failed(ImApi api, ObjectNode reply) {
        stats.failed(api.command());
        return reply(api.service(), reply);
    }

    private ObjectNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode n = json.readTree(body);
            return n != null && n.isObject() ? (ObjectNode) n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The JSON parse code each service documents; 60003 (public) where none is documented. */
    static int parseErrorCode(String service) {
        return switch (service) {
            case "openim" -> 90001;
            case "group_open_http_svc" -> 10011;
            case "profile" -> 40001;
            default -> 60003;
        };
    }

    /** Profile and sns replies always carry ErrorDisplay (reference section 0). */
    private static ResponseEntity<?> reply(String service, ObjectNode out) {
        if (("profile".equals(service) || "sns".equals(service)) && !out.has("ErrorDisplay")) {
            out.put("ErrorDisplay", "");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out);
    }
}
