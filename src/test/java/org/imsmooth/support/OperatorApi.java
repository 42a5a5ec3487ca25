package org.imsmooth.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The operator's HTTP API as curl would call it: JSON, HTTP basic with the test operator credential. */
public final class OperatorApi {

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public OperatorApi(int port) {
        this.port = port;
    }

    public JsonNode get(String path) throws Exception {
        return ok(send(HttpRequest.newBuilder(uri(path)).GET()), path);
    }

    public JsonNode post(String path, String body) throws Exception {
        return ok(send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body))), path);
    }

    public String text(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Any answer, for tests of refusals. */
    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", OperatorLogin.basic()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> response, String path) throws Exception {
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
