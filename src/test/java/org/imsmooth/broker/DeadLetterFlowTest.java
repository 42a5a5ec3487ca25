package org.imsmooth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.support.OperatorLogin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;

/**
 * A poison message on a work queue, against the real embedded broker: the broker redelivers it the
 * configured number of times, then it lands in the queue's DLQ with its reason and source id. An
 * operator then finds it through Jolokia (what Hawtio's JMX tab uses) and retries it to its work queue.
 */
@CamelSpringBootTest
@DisableJmx(false)
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "broker.work-queues=im.test.poison",
        "broker.max-delivery-attempts=3",
        "broker.redelivery-delay=100ms",
        "migration.auto-start=false"})
class DeadLetterFlowTest {

    static final AtomicInteger ATTEMPTS = new AtomicInteger();
    static final AtomicBoolean FIXED = new AtomicBoolean();
    static final AtomicInteger DELIVERED = new AtomicInteger();
    static final AtomicInteger MAX_BROKER_DELIVERY = new AtomicInteger();

    @TestConfiguration
    static class PoisonRoute {
        @Bean
        RouteBuilder poisonRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:im.test.poison?transacted=true").routeId("poison-test")
                            .routeConfigurationId("im-error-handling")
                            .process(e -> {
                                ATTEMPTS.incrementAndGet();
                                MAX_BROKER_DELIVERY.accumulateAndGet(
                                        e.getMessage().getHeader("JMSXDeliveryCount", 0, Integer.class), Math::max);
                                if (!FIXED.get()) {
                                    throw new IllegalStateException("cannot map record: column NICK missing");
                                }
                                DELIVERED.incrementAndGet();
                            });
                }
            };
        }
    }

    @Autowired ProducerTemplate producer;
    @LocalServerPort int port;
    @Autowired BrokerProperties broker;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void poisonMessageIsDeadLetteredWithReasonThenRetriedByTheOperator() throws Exception {
        producer.sendBodyAndHeader("jms:queue:im.test.poison", "{\"id\":42}", DeadLetterHeaders.SOURCE_ID, "user-42");

        // 1. dead-lettered after exactly the configured broker deliveries, with reason and source id
        JsonNode browsed = awaitDeadLetter();
        // 3 broker deliveries (broker.max-delivery-attempts), each tried 3 times in-process (error-handling.camel.yaml)
        assertThat(MAX_BROKER_DELIVERY.get()).isEqualTo(3);
        assertThat(ATTEMPTS.get()).isEqualTo(9);
        String dump = browsed.toString();
        assertThat(dump).contains("cannot map record: column NICK missing");
        assertThat(dump).contains("user-42");
        assertThat(dump).contains(DeadLetterHeaders.REASON);

        // 2. the operator retries it (QueueControl.retryMessages, as from Hawtio's JMX tab) after the fix
        FIXED.set(true);
        JsonNode retried = jolokiaExec(dlqMbean(), "retryMessages()");
        assertThat(retried.get("value").asLong()).isEqualTo(1);
        long deadline = System.currentTimeMillis() + 15_000;
        while (DELIVERED.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(DELIVERED.get()).isEqualTo(1);
        assertThat(jolokiaRead(dlqMbean(), "MessageCount").get("value").asLong()).isZero();
    }

    private JsonNode awaitDeadLetter() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode count = jolokiaRead(dlqMbean(), "MessageCount");
            if (count.path("value").asLong() == 1) {
                JsonNode list = jolokiaExec(dlqMbean(), "browse()");
                return list.get("value").get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("message never reached im.test.poison.DLQ; attempts=" + ATTEMPTS.get());
    }

    private String dlqMbean() {
        return "org.apache.activemq.artemis:broker=\"" + broker.name() + "\",component=addresses,address=\"im.test.poison.DLQ\","
                + "subcomponent=queues,routing-type=\"anycast\",queue=\"im.test.poison.DLQ\"";
    }

    private JsonNode jolokiaRead(String mbean, String attribute) throws Exception {
        return jolokia(json.createObjectNode().put("type", "read").put("mbean", mbean).put("attribute", attribute));
    }

    private JsonNode jolokiaExec(String mbean, String operation) throws Exception {
        return jolokia(json.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation));
    }

    private JsonNode jolokia(JsonNode request) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", OperatorLogin.basic())
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asInt()).as(response.body()).isEqualTo(200);
        return body;
    }
}
