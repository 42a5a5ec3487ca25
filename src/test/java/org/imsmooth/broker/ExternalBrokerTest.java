package org.imsmooth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The external-broker path, against a real standalone Artemis 2.40.0 (started by .ci/run from the
 * Maven Central tarball): the service provisions its work queue, DLQ and address settings through
 * the management API, and a poison message is dead-lettered there with its reason.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(properties = {"migration.auto-start=false", "broker.max-delivery-attempts=2", "broker.redelivery-delay=100ms"})
class ExternalBrokerTest {

    static final String QUEUE = "im.test.external-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ORDERED = "im.test.external-ordered-" + UUID.randomUUID().toString().substring(0, 8);
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @BeforeAll
    static void requireBroker() {
        RealServices.requireEnv("EXTERNAL_BROKER_URL", "an external Artemis broker");
    }

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        String url = System.getenv("EXTERNAL_BROKER_URL");
        if (url == null) {
            return; // the test aborts in @BeforeAll
        }
        registry.add("spring.artemis.mode", () -> "native");
        registry.add("spring.artemis.embedded.enabled", () -> "false");
        registry.add("spring.artemis.broker-url", () -> url);
        registry.add("spring.artemis.user", () -> System.getenv("EXTERNAL_BROKER_USER"));
        registry.add("spring.artemis.password", () -> System.getenv("EXTERNAL_BROKER_PASSWORD"));
        registry.add("broker.work-queues", () -> QUEUE + "," + ORDERED);
        registry.add("broker.ordered-queues", () -> ORDERED);
    }

    @TestConfiguration
    static class PoisonRoute {
        @Bean
        RouteBuilder externalPoisonRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:" + QUEUE + "?transacted=true").routeId("external-poison-test")
                            .routeConfigurationId("im-error-handling")
                            .process(e -> {
                                ATTEMPTS.incrementAndGet();
                                throw new IllegalArgumentException("malformed record on the external broker");
                            });
                }
            };
        }
    }

    @Autowired ConnectionFactory connectionFactory;
    @Autowired ProducerTemplate producer;
    @Autowired ConsumerTemplate consumer;

    @Test
    void workQueueIsProvisionedWithItsDeadLetterPolicy() throws Exception {
        JsonNode settings = new ObjectMapper().readTree(manage("getAddressSettingsAsJSON", QUEUE));
        assertThat(settings.get("deadLetterAddress").asText()).isEqualTo(QUEUE + ".DLQ");
        assertThat(settings.get("maxDeliveryAttempts").asInt()).as("the broker's backstop, 10 x the service's 2").isEqualTo(20);
        assertThat(manage("getQueueNames")).contains(QUEUE).contains(QUEUE + ".DLQ");
    }

    @Test
    void orderedQueuesRebalanceTheirLanesWhenAConsumerJoins() throws Exception {
        JsonNode settings = new ObjectMapper().readTree(manage("getAddressSettingsAsJSON", ORDERED));
        assertThat(settings.get("defaultGroupRebalance").asBoolean()).isTrue();
        assertThat(settings.get("defaultGroupRebalancePauseDispatch").asBoolean()).isTrue();
        assertThat(queueAttribute(ORDERED, "groupRebalance")).isEqualTo("true");
        assertThat(queueAttribute(ORDERED, "groupRebalancePauseDispatch")).isEqualTo("true");
        assertThat(queueAttribute(QUEUE, "groupRebalance")).as("an unordered queue has no lanes").isEqualTo("false");
    }

    private String queueAttribute(String queue, String attribute) throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            QueueSession session = (QueueSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            connection.start();
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, attribute);
            Message reply = requestor.request(request);
            assertThat(JMSManagementHelper.hasOperationSucceeded(reply)).as(attribute + " of " + queue).isTrue();
            return String.valueOf(JMSManagementHelper.getResult(reply));
        }
    }

    @Test
    void poisonMessageIsDeadLetteredWithItsReason() {
        producer.sendBodyAndHeader("jms:queue:" + QUEUE, "{\"id\":7}", DeadLetterHeaders.SOURCE_ID, "msg-7");
        Exchange dead = consumer.receive("jms:queue:" + QUEUE + ".DLQ", 30_000);
        assertThat(dead).as("dead letter on the external broker").isNotNull();
        assertThat(dead.getMessage().getBody(String.class)).isEqualTo("{\"id\":7}");
        assertThat(dead.getMessage().getHeader(DeadLetterHeaders.REASON, String.class)).contains("malformed record");
        assertThat(dead.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID, String.class)).isEqualTo("msg-7");
        assertThat(ATTEMPTS.get()).isEqualTo(6); // 2 broker deliveries x 3 in-process tries
    }

    private String manage(String operation, Object... args) throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            QueueSession session = (QueueSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            connection.start();
            Message request = session.createMessage();
            JMSManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, args);
            Message reply = requestor.request(request);
            assertThat(JMSManagementHelper.hasOperationSucceeded(reply)).isTrue();
            Object result = JMSManagementHelper.getResult(reply);
            return result instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(result);
        }
    }
}
