package org.imsmooth.sandbox.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.auth.RestAuthenticator;
import org.imsmooth.sandbox.quota.CallQuota;
import org.imsmooth.sandbox.quota.FaultInjector;
import org.imsmooth.sandbox.quota.QuotaTrace;
import org.imsmooth.sandbox.quota.SandboxStats;
import io.micrometer.observation.ObservationPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * {@code /v4/{service}/{command}}: the Tencent IM REST surface. Order of checks mirrors the service:
 * resource → auth → quota → injected faults → JSON → the API. Business errors stay HTTP 200.
 * Logs carry the command only, never the query string (it holds the UserSig).
 * A plain servlet, not a Spring MVC controller: the sandbox shares the benchmark machine's CPU with
 * the service it measures, and MVC's per-request handler lookup, argument resolution and message
 * converters were about a tenth of that CPU at the import's call rates.
 */
public class V4ApiServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(V4ApiServlet.class);
    private static final byte[] HTTP_500 = "500 Internal Server Error".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HTTP_502 = "502 Bad Gateway".getBytes(StandardCharsets.UTF_8);

    /** Registers the servlet on {@code /v4/*} wherever the sandbox runs (in the service or standalone). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSandbox
    static class Registration {
        @Bean
        ServletRegistrationBean<V4ApiServlet> v4ApiServlet(List<ImApiArea> areas, RestAuthenticator auth, CallQuota quota,
                                                           FaultInjector faults, SandboxStats stats, QuotaTrace trace) {
            ServletRegistrationBean<V4ApiServlet> bean = new ServletRegistrationBean<>(
                    new V4ApiServlet(areas, auth, quota, faults, stats, trace), "/v4/*");
            // operator security leaves requests mapped to this name to the servlet (SelfAuthenticatingServlets)
            bean.setName("imSandboxV4Api");
            bean.setLoadOnStartup(1);
            return bean;
        }

        /** No http.server.requests observation per IM call: the stand-in's own traffic is not the service's. */
        @Bean
        ObservationPredicate sandboxCallsNotObserved() {
            return (name, context) -> !(context instanceof ServerRequestObservationContext server
                    && server.getCarrier() != null && server.getCarrier().getRequestURI().startsWith("/v4/"));
        }
    }

    private final transient Map<ImApi, ImApiHandler> handlers = new EnumMap<>(ImApi.class);
    private final transient RestAuthenticator auth;
    private final transient CallQuota quota;
    private final transient FaultInjector faults;
    private final transient SandboxStats stats;
    private final transient QuotaTrace trace;
    private final transient ObjectMapper json = new ObjectMapper();

    V4ApiServlet(List<ImApiArea> areas, RestAuthenticator auth, CallQuota quota, FaultInjector faults, SandboxStats stats,
                 QuotaTrace trace) {
        this.trace = trace;
        areas.forEach(a -> handlers.putAll(a.handlers()));
        this.auth = auth;
        this.quota = quota;
        this.faults = faults;
        this.stats = stats;
    }

    /** Every HTTP method comes here: IM answers anything but POST with 60008. */
    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        long entered = trace.enabled() ? QuotaTrace.epochNanos() : 0;
        // the body is read before any parameter: the query string alone carries sdkappid, identifier, usersig
        byte[] body = http.getInputStream().readAllBytes();
        String path = http.getPathInfo() == null ? "" : http.getPathInfo();
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
        String service = parts.length > 0 ? parts[0] : "";
        String command = parts.length > 1 ? parts[1] : "";
        Optional<ImApi> found = parts.length == 2 ? ImApi.byPath(service, command) : Optional.empty();
        if (found.isEmpty() || !handlers.containsKey(found.get())) {
            stats.call("unknown");
            reply(response, service, ImReply.fail(60009, "bad resource URL: " + service + "/" + command));
            return;
        }
        ImApi api = found.get();
        stats.call(api.command());
        if (!"POST".equals(http.getMethod())) {
            failed(response, api, ImReply.fail(60008, "only HTTP POST is supported"));
            return;
        }
        RestAuthenticator.Failure denied = auth.check(http.getParameter("sdkappid"), http.getParameter("identifier"),
                http.getParameter("usersig"), http.getParameter("random"), http.getParameter("contenttype"));
        if (denied != null) {
            failed(response, api, ImReply.fail(denied.code(), denied.info()));
            return;
        }
        boolean accepted = quota.tryAcquire(api);
        if (trace.enabled()) {
            trace.record(api.command(), http.getParameter("random"), entered, QuotaTrace.epochNanos(), accepted);
        }
        if (!accepted) {
            stats.rejected(api.command());
            failed(response, api, ImReply.fail(quota.errorCode(), "REST API call rate exceeded for " + api.command()));
            return;
        }
        FaultInjector.Settings fs = faults.settings();
        faults.pause(fs.latencyMs());
        FaultInjector.Decision fault = faults.decide();
        if (fault.kind() != null) {
            stats.fault(fault.kind());
            switch (fault.kind()) {
                case "http-500":
                    plain(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, HTTP_500);
                    return;
                case "http-502":
                    plain(response, HttpServletResponse.SC_BAD_GATEWAY, HTTP_502);
                    return;
                case "error-code":
                    failed(response, api, ImReply.fail(FaultInjector.retryableCode(service), "internal error, please retry (injected)"));
                    return;
                case "rate-limit":
                    failed(response, api, ImReply.fail(quota.errorCode(), "REST API call rate exceeded (injected)"));
                    return;
                default:
                    // "timeout": answer (and apply the call) only after the client has likely given up.
                    faults.pause(fs.timeoutMs());
            }
        }
        ObjectNode parsed = parse(body);
        if (parsed == null) {
            failed(response, api, ImReply.fail(parseErrorCode(service), "JSON parse error: the body must be a JSON object"));
            return;
        }
        ObjectNode out;
        try {
            out = handlers.get(api).handle(new ImRequest(api, parsed, http.getParameter("identifier"), http.getRemoteAddr()));
        } catch (ImApiException e) {
            failed(response, api, ImReply.fail(e.code(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            log.error("sandbox {} failed", api.command(), e);
            failed(response, api, ImReply.fail(FaultInjector.retryableCode(service), "internal error, please retry"));
            return;
        }
        if (!"OK".equals(out.path("ActionStatus").asText())) {
            stats.failed(api.command());
        }
        reply(response, service, out);
    }

    private void failed(HttpServletResponse response, ImApi api, ObjectNode reply) throws IOException {
        stats.failed(api.command());
        reply(response, api.service(), reply);
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
    private void reply(HttpServletResponse response, String service, ObjectNode out) throws IOException {
        if (("profile".equals(service) || "sns".equals(service)) && !out.has("ErrorDisplay")) {
            out.put("ErrorDisplay", "");
        }
        byte[] bytes = json.writeValueAsBytes(out);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static void plain(HttpServletResponse response, int status, byte[] text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
