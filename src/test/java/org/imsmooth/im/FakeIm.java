package org.imsmooth.im;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A JDK HttpServer on a free port standing in for IM: records every request and answers with what
 * the test scripted, so the client's real HTTP path (URL, query string, body, status) is exercised.
 */
final class FakeIm implements AutoCloseable {

    record Received(String method, String path, String rawQuery, Map<String, String> query, String contentType,
                    String body) {
    }

    record Reply(int status, String body, long delayMillis) {
        static Reply ok(String body) {
            return new Reply(200, body, 0);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Reply> responder = r -> Reply.ok("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}");

    FakeIm() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String rawQuery = exchange.getRequestURI().getRawQuery();
            Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), rawQuery,
                    parse(rawQuery), exchange.getRequestHeaders().getFirst("Content-Type"), body);
            received.add(r);
            Reply reply = responder.apply(r);
            try {
                if (reply.delayMillis() > 0) {
                    Thread.sleep(reply.delayMillis());
                }
                byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            } catch (InterruptedException | IOException e) {
                exchange.close(); // the client gave up (timeout tests)
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void respond(Function<Received, Reply> responder) {
        this.responder = responder;
    }

    void respondAlways(String body) {
        respond(r -> Reply.ok(body));
    }

    List<Received> received() {
        return received;
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Map<String, String> parse(String rawQuery) {
        Map<String, String> m = new LinkedHashMap<>();
        if (rawQuery == null) {
            return m;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }
}
