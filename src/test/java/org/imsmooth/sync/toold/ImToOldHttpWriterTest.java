package org.imsmooth.sync.toold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The old system reached through its own HTTP API (writer: http) instead of JDBC, played by a small
 * local HTTP server: the configured JSON template is posted, 5xx answers are waited out (the write is
 * retried, not dead-lettered), the answer's id lands in the id map, and a 4xx answer dead-letters the
 * event with the API's reason.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "sync.im-to-old.writer=http", "sync.im-to-old.max-backoff=200ms"})
class ImToOldHttpWriterTest {

    static HttpServer oldApi;
    static final List<JsonNode> received = new CopyOnWriteArrayList<>();
    static final AtomicInteger unavailableAnswers = new AtomicInteger(2);
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort int port;
    @Autowired IdMap idMap;
    @Autowired ConsumerTemplate consumer;

    @BeforeAll
    static void startOldSystemApi() throws IOException {
        oldApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        oldApi.createContext("/api/messages", ImToOldHttpWriterTest::messages);
        oldApi.start();
    }

    @AfterAll
    static void stopOldSystemApi() {
        oldApi.stop(0);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("OLD_SYSTEM_API_URL", () -> "http://127.0.0.1:" + oldApi.getAddress().getPort());
        registry.add("im.callback-token", () -> "http-writer-token");
    }

    private static void messages(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String answer;
        int status;
        if (body.path("body").asText().contains("refuse me")) {
            status = 422;
            answer = "{\"error\":\"receiver is blocked\"}";
        } else if (unavailableAnswers.getAndDecrement() > 0) {
            status = 503;
            answer = "{\"error\":\"maintenance\"}";
        } else {
            received.add(body);
            status = 201;
            answer = "{\"id\":" + (7000 + received.size()) + "}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void eventsArePostedToTheOldSystemsApi() {
        CallbackPoster im = new CallbackPoster(port, 1400000000L, "http-writer-token");
        assertThat(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u11", "u12", "http-1", 1, "over http", null))
                .statusCode()).isEqualTo(200);
        assertThat(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u11", "u12", "http-2", 2, "refuse me", null))
                .statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> idMap.oldIdOf("c2c_message", "http-1").isPresent());
        assertThat(received).hasSize(1);
        JsonNode posted = received.get(0);
        assertThat(posted.path("sender").asLong()).isEqualTo(11);
        assertThat(posted.path("receiver").asLong()).isEqualTo(12);
        assertThat(posted.path("kind").asText()).isEqualTo("text");
        assertThat(posted.path("body").asText()).isEqualTo("over http");
        assertThat(posted.path("imRef").asText()).isEqualTo("http-1");
        assertThat(posted.path("sentAt").asText()).endsWith("Z");
        assertThat(unavailableAnswers.get()).as("the 503 answers were waited out").isNegative();
        assertThat(idMap.oldIdOf("c2c_message", "http-1")).contains("7001");

        Exchange dead = consumer.receive("jms:queue:im.sync.im-to-old.DLQ", 20_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getMessage().getHeader("ImSourceId", String.class)).isEqualTo("http-2");
        assertThat(dead.getMessage().getHeader("ImDeadLetterReason", String.class)).contains("HTTP 422").contains("receiver is blocked");
    }
}
