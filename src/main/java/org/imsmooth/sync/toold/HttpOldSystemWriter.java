package org.imsmooth.sync.toold;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.RejectedRecordException;

/**
 * Writes through the old system's own API: per write kind, POST {@code url} with the {@code body}
 * template, where {@code {{name}}} becomes the parameter as a JSON value (string, number or null).
 * The API is expected to be idempotent on {@code im_ref} / keys (a redelivered event is sent again).
 * 2xx = written (an {@code id} field in the answer is the old id); 408, 429 and 5xx or no answer =
 * the old system is unavailable, wait and retry; other 4xx = rejected, to the DLQ with the answer.
 */
public class HttpOldSystemWriter implements OldSystemWriter {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ImToOldProperties.HttpWrite> specs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public HttpOldSystemWriter(ImToOldProperties properties) {
        this.specs = properties.http();
    }

    @Override
    public Outcome write(String sourceId, List<OldSystemWrite> writes) {
        Object mainId = null;
        for (int i = 0; i < writes.size(); i++) {
            ImToOldProperties.HttpWrite spec = specs.get(writes.get(i).kind());
            if (spec == null) {
                continue;
            }
            Object id = post(sourceId, spec, writes.get(i).params());
            if (i == 0) {
                mainId = id;
            }
        }
        return new Outcome(mainId, false);
    }

    @Override
    public Object nextId(String kind) {
        // the old system's API assigns ids itself; groups outside the id rule need the JDBC writer
        return null;
    }

    private Object post(String sourceId, ImToOldProperties.HttpWrite spec, Map<String, Object> params) {
        String body = render(spec.body(), params);
        HttpRequest request = HttpRequest.newBuilder(URI.create(spec.url())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the old system", e);
        }
        int status = response.statusCode();
        if (status == 408 || status == 429 || status >= 500) {
            throw new OldSystemOutage.OldSystemUnavailableException("old system API answered HTTP " + status);
        }
        if (status < 200 || status >= 300) {
            String answer = response.body() == null ? "" : response.body();
            throw new RejectedRecordException(sourceId, "old system API refused the write: HTTP " + status + " "
                    + (answer.length() > 300 ? answer.substring(0, 300) + "..." : answer));
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            return answer != null && answer.hasNonNull("id") ? OldIds.typed(answer.get("id").asText()) : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    static String render(String template, Map<String, Object> params) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = params.get(m.group(1));
            if (value instanceof Timestamp t) {
                value = t.toInstant().toString();
            }
            try {
                m.appendReplacement(out, Matcher.quoteReplacement(JSON.writeValueAsString(value)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        m.appendTail(out);
        return out.toString();
    }
}
