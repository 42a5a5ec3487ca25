package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * {@code im.transport=jdk}: IM calls on the JDK's HttpClient (HTTP/1.1 keep-alive pool, as IM's FAQ
 * advises; the pool lives as long as this client). The URL carries the UserSig: it is never logged or
 * put into an exception, and the JDK's own debug loggers are pinned below DEBUG ({@link HttpClientLogGuard}).
 */
public final class JdkImHttp implements ImHttp {

    private final ImProperties properties;
    private final ImEndpoint endpoint;
    private final ImQueryString query;
    private final HttpClient http;

    public JdkImHttp(ImProperties properties, ImEndpoint endpoint, ImQueryString query) {
        this.properties = properties;
        this.endpoint = endpoint;
        this.query = query;
        HttpClientLogGuard.apply(null); // also when built outside Spring
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    // bytes both ways: Jackson reads and writes UTF-8 itself, without a String and a char buffer per call
    @Override
    public Answer post(ImApi api, byte[] json) throws IOException, InterruptedException {
        URI uri = URI.create(endpoint.baseUri() + "/" + api.path() + "?" + query.fixedPart() + "&" + query.perCallPart());
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(properties.requestTimeout())
                .header("Content-Type", ImTransport.JSON_CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.body());
    }

    @Override
    public String name() {
        return "jdk";
    }
}
