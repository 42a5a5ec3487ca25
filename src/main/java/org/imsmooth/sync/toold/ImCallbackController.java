package org.imsmooth.sync.toold;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.im.api.ImCallbackCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /im/callback}: IM's after-event callbacks (reference 7). The request thread only
 * verifies, reads the fields that decide order, and stores the body on the broker; the old system is
 * written by the consumer route ({@code routes/sync-im-to-old.yaml}), so IM gets its answer at once
 * even while the old system is slow or down. Refusals are 4xx with a JSON reason, logged without
 * Sign, token or query string.
 */
@RestController
public class ImCallbackController {

    private static final Logger LOG = LoggerFactory.getLogger("sync.im-to-old.callback");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> OK = Map.of("ActionStatus", "OK", "ErrorInfo", "", "ErrorCode", 0);

    private final CallbackAuthenticator authenticator;
    private final ImCallbackEvents events;
    private final ImToOldQueue queue;

    public ImCallbackController(CallbackAuthenticator authenticator, ImCallbackEvents events, ImToOldQueue queue) {
        this.authenticator = authenticator;
        this.events = events;
        this.queue = queue;
    }

    @PostMapping(path = "/im/callback", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> receive(
            @RequestParam(name = "SdkAppid", required = false) String sdkAppId,
            @RequestParam(name = "CallbackCommand", required = false) String command,
            @RequestParam(name = "Sign", required = false) String sign,
            @RequestParam(name = "RequestTime", required = false) String requestTime,
            @RequestParam(name = "OptPlatform", required = false) String optPlatform,
            @RequestBody(required = false) byte[] raw) {
        long receivedAt = System.currentTimeMillis();
        try {
            authenticator.verify(sdkAppId, sign, requestTime);
            ImCallbackCommand known = ImCallbackCommand.byWireName(command == null ? "" : command)
                    .orElseThrow(() -> new CallbackRefusedException(HttpStatus.BAD_REQUEST,
                            "unsupported CallbackCommand '" + printable(command) + "'"));
            String body = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
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
            return ResponseEntity.ok(OK);
        } catch (CallbackRefusedException e) {
            LOG.warn("refused IM callback {} (OptPlatform {}): HTTP {} {}", printable(command), printable(optPlatform),
                    e.status().value(), e.getMessage());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ActionStatus", "FAIL");
            answer.put("ErrorCode", 1);
            answer.put("ErrorInfo", e.getMessage());
            return ResponseEntity.status(e.status()).body(answer);
        }
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
