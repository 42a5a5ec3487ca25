package org.imsmooth.sync.toold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.imsmooth.im.api.ImCallbackCommand;
import org.imsmooth.ops.security.RefusalLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * {@code POST /im/callback}: IM's after-event callbacks (reference 7). The request thread only
 * verifies, reads the fields that decide order, and stores the body on the broker; the old system is
 * written by the consumer route ({@code routes/sync-im-to-old.camel.yaml}), so IM gets its answer at once
 * even while the old system is slow or down. Refusals are 4xx with a JSON reason, logged without
 * Sign, token or query string.
 * A plain servlet, not a Spring MVC controller: IM waits for this answer on every event, and MVC's
 * per-request handler lookup, argument binding and message conversion were a third of the CPU the
 * service spent per callback at 200 events/s.
 */
public class ImCallbackServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger("sync.im-to-old.callback");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}"
            .getBytes(StandardCharsets.UTF_8);

    /** Registers the servlet on {@code /im/callback}, ahead of Spring MVC's catch-all mapping. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        ServletRegistrationBean<ImCallbackServlet> imCallbackServlet(CallbackAuthenticator authenticator,
                                                                    ImCallbackEvents events, ImToOldQueue queue,
                                                                    RefusalLog.Factory refusals,
                                                                    @Value("${sync.im-to-old.enabled:true}") boolean enabled) {
            ServletRegistrationBean<ImCallbackServlet> bean = new ServletRegistrationBean<>(
                    new ImCallbackServlet(authenticator, events, queue, refusals.forLogger(LOG), enabled), "/im/callback");
            // operator security leaves requests mapped to this name to the servlet (SelfAuthenticatingServlets)
            bean.setName("imCallback");
            bean.setLoadOnStartup(1);
            return bean;
        }
    }

    private final transient CallbackAuthenticator authenticator;
    private final transient ImCallbackEvents events;
    private final transient ImToOldQueue queue;
    private final transient RefusalLog refusals;
    /** IM -> old-system sync on ({@code sync.im-to-old.enabled}); off, every callback is refused with 404. */
    private final boolean enabled;

    ImCallbackServlet(CallbackAuthenticator authenticator, ImCallbackEvents events, ImToOldQueue queue, RefusalLog refusals,
                      boolean enabled) {
        this.enabled = enabled;
        this.authenticator = authenticator;
        this.events = events;
        this.queue = queue;
        this.refusals = refusals;
    }

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        long receivedAt = System.currentTimeMillis();
        // the body is read before any parameter: the query string alone carries SdkAppid, Sign, RequestTime.
        // Its size is bounded before this servlet runs (ops.security.BoundedRequestBodies).
        byte[] raw = http.getInputStream().readAllBytes();
        String command = http.getParameter("CallbackCommand");
        try {
            if (!enabled) {
                throw new CallbackRefusedException(HttpStatus.NOT_FOUND, "IM -> old-system sync is off (sync.im-to-old.enabled=false)");
            }
            if (!"POST".equals(http.getMethod())) {
                throw new CallbackRefusedException(HttpStatus.METHOD_NOT_ALLOWED, "IM callbacks are HTTP POST requests");
            }
            authenticator.verify(http.getParameter("SdkAppid"), http.getParameter("Sign"), http.getParameter("RequestTime"));
            ImCallbackCommand known = ImCallbackCommand.byWireName(command == null ? "" : command)
                    .orElseThrow(() -> new CallbackRefusedException(HttpStatus.BAD_REQUEST,
                            "unsupported CallbackCommand '" + printable(command) + "'"));
            String body = new String(raw, StandardCharsets.UTF_8);
            JsonNode node = parse(body);
            String bodyCommand = node.path("CallbackCommand").asText(known.wireName());
            if (!known.wireName().equals(bodyCommand)) {
                throw new CallbackRefusedException(HttpStatus.BAD_REQUEST, "CallbackCommand of the body ('" + printable(bodyCommand)
                        + "') differs from the query's ('" + known.wireName() + "')");
            }
            ImCallbackEvents.Routing routing;
            try {
                routing = events.routing(known, node);
            } catch (IllegalArgumentException e) {
                throw new CallbackRefusedException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
            queue.put(body, known.wireName(), routing, receivedAt);
            write(response, HttpServletResponse.SC_OK, OK);
        } catch (CallbackRefusedException e) {
            // one line per client per interval, values escaped: a prober must not flood or forge the log
            refusals.refused(http.getRemoteAddr(), "IM callback " + printable(command) + " (OptPlatform "
                    + printable(http.getParameter("OptPlatform")) + "): HTTP " + e.status().value() + " " + e.getMessage());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ActionStatus", "FAIL");
            answer.put("ErrorCode", 1);
            answer.put("ErrorInfo", e.getMessage());
            write(response, e.status().value(), JSON.writeValueAsBytes(answer));
        }
    }

    private static void write(HttpServletResponse response, int status, byte[] json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new CallbackRefusedException(HttpStatus.BAD_REQUEST, "callback body is not a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CallbackRefusedException(HttpStatus.BAD_REQUEST, "callback body is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** Query values are attacker-chosen: keep log lines short and on one line. */
    private static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String cleaned = value.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}
