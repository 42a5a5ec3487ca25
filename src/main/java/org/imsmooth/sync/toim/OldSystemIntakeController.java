package org.imsmooth.sync.toim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import jakarta.servlet.http.HttpServletRequest;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.ops.security.LogSafe;
import org.imsmooth.ops.security.RefusalLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The old provider's message-routing callbacks: {@code POST /intake/old-system/{kind}} with the
 * shared secret in {@code X-Intake-Secret}. The JSON is mapped to a change by the kind's JSON
 * pointers (routes/old-system/mapping.yml), checked, and put on the broker (a persistent send the
 * broker confirmed) before the 202 answer. Refusals are 4xx with a JSON reason; the secret is never logged.
 */
@RestController
public class OldSystemIntakeController {

    static final String SECRET_HEADER = "X-Intake-Secret";
    private static final Logger LOG = LoggerFactory.getLogger(OldSystemIntakeController.class);

    private final OldSystemIntakeProperties properties;
    private final ProducerTemplate producer;
    private final ObjectMapper json = new ObjectMapper();
    /**
     * Puts on the broker at most this many at once: more concurrent senders than the JMS session
     * cache holds make every send open and close a session under the connection's lock, and the
     * intake then slows down exactly when it is busiest.
     */
    private final Semaphore enqueueing;

    private final RefusalLog refusals;

    public OldSystemIntakeController(OldSystemIntakeProperties properties, ProducerTemplate producer, RefusalLog.Factory refusals) {
        this.properties = properties;
        this.refusals = refusals.forLogger(LOG);
        this.producer = producer;
        this.enqueueing = new Semaphore(properties.maxConcurrentSends(), true);
    }

    @PostMapping(path = "/intake/old-system/{kind}")
    public ResponseEntity<Map<String, Object>> receive(HttpServletRequest request, @PathVariable("kind") String kind,
                                                       @RequestHeader(name = SECRET_HEADER, required = false) String secret,
                                                       @RequestBody(required = false) byte[] body) {
        if (properties.secret() == null || properties.secret().isBlank()) {
            return refuse(request, HttpStatus.SERVICE_UNAVAILABLE, kind, "intake is not configured: set INTAKE_SECRET (old-system-intake.secret)");
        }
        if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                properties.secret().getBytes(StandardCharsets.UTF_8))) {
            return refuse(request, HttpStatus.UNAUTHORIZED, kind, "missing or wrong " + SECRET_HEADER + " header");
        }
        OldSystemIntakeProperties.IntakeKind mapping = properties.kinds().get(kind);
        if (mapping == null) {
            return refuse(request, HttpStatus.NOT_FOUND, kind, "unknown kind '" + kind + "' (configured: " + properties.kinds().keySet() + ")");
        }
        JsonNode document;
        try {
            document = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (java.io.IOException e) {
            return refuse(request, HttpStatus.BAD_REQUEST, kind, "body is not JSON: " + firstLine(e.getMessage()));
        }
        if (document == null || !document.isObject()) {
            return refuse(request, HttpStatus.BAD_REQUEST, kind, "body must be a JSON object");
        }
        OldSystemChange change;
        try {
            change = OldSystemChange.fromRow(mapping.change(), row(mapping, document)).validate();
        } catch (RejectedRecordException invalid) {
            return refuse(request, HttpStatus.BAD_REQUEST, kind, invalid.getMessage());
        }
        try {
            if (!enqueueing.tryAcquire(10, TimeUnit.SECONDS)) {
                return refuse(request, HttpStatus.SERVICE_UNAVAILABLE, kind, "intake is overloaded; send the change again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refuse(request, HttpStatus.SERVICE_UNAVAILABLE, kind, "intake is shutting down; send the change again");
        }
        try {
            producer.sendBody(HeldChanges.ENQUEUE, change);
        } catch (RuntimeException brokerDown) {
            LOG.error("Intake {}: change {} could not be put on the broker: {}", LogSafe.value(kind), LogSafe.value(change.sourceId()),
                    brokerDown.getMessage());
            return refuse(request, HttpStatus.SERVICE_UNAVAILABLE, kind, "the change could not be stored; send it again");
        } finally {
            enqueueing.release();
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("accepted", true, "kind", kind, "sourceId", change.sourceId()));
    }

    private Map<String, Object> row(OldSystemIntakeProperties.IntakeKind mapping, JsonNode document) {
        Map<String, Object> row = new HashMap<>(mapping.constants());
        mapping.fields().forEach((column, pointer) -> {
            JsonNode value = document.at(pointer);
            if (!value.isMissingNode() && !value.isNull()) {
                row.put(column, value.isValueNode() ? value.asText() : write(value));
            }
        });
        return row;
    }

    private String write(JsonNode value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ResponseEntity<Map<String, Object>> refuse(HttpServletRequest request, HttpStatus status, String kind, String reason) {
        // the request's headers are never logged (one of them is the secret); one line per client per
        // interval, values escaped (the kind and the reason carry request text)
        refusals.refused(request.getRemoteAddr(), "intake " + kind + " (" + status.value() + "): " + reason);
        return ResponseEntity.status(status).body(Map.of("accepted", false, "status", status.value(), "reason", reason));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
