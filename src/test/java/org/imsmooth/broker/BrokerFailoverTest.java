package org.imsmooth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.sandbox.quota.SandboxStats;
import org.imsmooth.sandbox.state.SandboxDatabase;
import org.imsmooth.support.OperatorApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestExecutionListeners;

/**
 * The service on a live/backup pair of real Artemis 2.40.0 brokers replicating their journal: the
 * primary is killed with SIGKILL in the middle of the 1:1 history, the backup takes over, the
 * service's connection fails over to it ({@code ha=true}, unlimited reconnect attempts), and the
 * import finishes with nothing lost and nothing imported twice: IM (the sandbox) holds exactly the
 * old system's messages, the reconciliation balances, and no dead letter comes from the failover,
 * although batches in flight at the kill were rolled back and delivered again.
 */
@CamelSpringBootTest
@DirtiesContext
@TestExecutionListeners(listeners = BrokerFailoverTest.StopBrokersAfterTheService.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=60", "oldsystem.demo.messages=3000", "oldsystem.demo.groups=6", "oldsystem.demo.group-messages=1200",
        "oldsystem.page-size=200",
        "sandbox.faults.latency-ms=5",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "migration.report-file=target/broker-failover/report.json"})
class BrokerFailoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerFailoverTest.class);
    /** What docs/scale-out.md tells users to put in BROKER_URL, with the two nodes' addresses. */
    static final String CLIENT_OPTIONS = ArtemisNodes.CLIENT_OPTIONS;

    /** Work-queue deliveries (exchange ids) per batch id (ImBatchId): a batch rolled back at the failover comes twice. */
    static final Map<String, Set<String>> DELIVERIES = new ConcurrentHashMap<>();

    @TestConfiguration
    static class CountBatchDeliveries {
        @Bean
        EventNotifier batchDeliveries() {
            return new EventNotifierSupport() {
                @Override
                public boolean isEnabled(CamelEvent event) {
                    return event instanceof CamelEvent.ExchangeCreatedEvent;
                }

                @Override
                public void notify(CamelEvent event) {
                    Exchange exchange = ((CamelEvent.ExchangeCreatedEvent) event).getExchange();
                    Endpoint from = exchange.getFromEndpoint();
                    String batch = exchange.getMessage().getHeader("ImBatchId", String.class);
                    // the routeConfiguration's onCompletion works on a copy of each delivery (correlated to it)
                    boolean copy = exchange.getProperty(Exchange.CORRELATION_ID) != null;
                    if (from != null && from.getEndpointUri().contains("im.import.") && batch != null && !copy) {
                        DELIVERIES.computeIfAbsent(batch, b -> ConcurrentHashMap.newKeySet()).add(exchange.getExchangeId());
                    }
                }
            };
        }
    }

    static ArtemisNodes brokers;
    static ArtemisNodes.Node primary;
    static ArtemisNodes.Node backup;

    @BeforeAll
    static void startPair() throws Exception {
        brokers = ArtemisNodes.fromDistribution(Path.of("target", "broker-failover").toAbsolutePath());
        List<ArtemisNodes.Node> pair = brokers.createReplicatedPair();
        primary = pair.get(0);
        backup = pair.get(1);
        brokers.start(primary);
        primary.awaitLog("AMQ221007", Duration.ofMinutes(2)); // active
        brokers.start(backup);
        backup.awaitLog("AMQ221024", Duration.ofMinutes(2)); // synchronized with the primary
    }

    /**
     * The service stops first (@DirtiesContext closes it while the backup still serves: its connection
     * would retry for ever with no broker), then the brokers: the listener runs after Spring's own.
     */
    static class StopBrokersAfterTheService implements TestExecutionListener, Ordered {
        @Override
        public void afterTestClass(TestContext testContext) throws Exception {
            if (brokers != null) {
                brokers.stopAll();
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE; // after* callbacks run in reverse order: this one last
        }
    }

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.artemis.mode", () -> "native");
        registry.add("spring.artemis.embedded.enabled", () -> "false");
        registry.add("spring.artemis.broker-url", () -> "(" + started().get(0).url() + "," + backup.url() + ")?" + CLIENT_OPTIONS);
        registry.add("spring.artemis.user", () -> ArtemisNodes.USER);
        registry.add("spring.artemis.password", () -> ArtemisNodes.PASSWORD);
    }

    private static List<ArtemisNodes.Node> started() {
        if (primary == null) {
            throw new IllegalStateException("the broker pair is started in @BeforeAll");
        }
        return List.of(primary, backup);
    }

    @LocalServerPort int port;
    @Autowired SandboxDatabase sandbox;
    @Autowired SandboxStats sandboxStats;
    @Autowired BrokerProperties brokerProperties;

    @Test
    void killingTheLiveBrokerMidImportLosesAndDuplicatesNothing() throws Exception {
        OperatorApi api = new OperatorApi(port);
        api.post("/api/migration/start", null);

        // kill in the middle of the 1:1 history: work-queue transactions are in flight
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> imported(api, "c2c-messages") > 600);
        long importedAtKill = imported(api, "c2c-messages");
        assertThat(importedAtKill).as("killed before the stage finished").isLessThan(3000);
        Instant killedAt = Instant.now();
        primary.kill();
        backup.awaitLog("AMQ221007", Duration.ofMinutes(1)); // the backup is now active
        Instant backupActive = backup.loggedAt("AMQ221007").orElseThrow();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> imported(api, "c2c-messages") > importedAtKill + 50);
        Instant progressing = Instant.now();

        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500))
                .until(() -> !api.get("/api/migration/status").get("verdict").isNull());
        JsonNode status = api.get("/api/migration/status");
        JsonNode report = api.get("/api/migration/report");
        LOG.info("Broker failover: primary killed at {} c2c messages imported; backup active {} ms after the kill, "
                        + "the import past +50 messages {} ms after it; sandbox calls {}, refused by its quota {}",
                importedAtKill, Duration.between(killedAt, backupActive).toMillis(),
                Duration.between(killedAt, progressing).toMillis(), sandboxStats.snapshot().get("calls"),
                sandboxStats.snapshot().get("rejectedByQuota"));

        long deliveredAgain = DELIVERIES.values().stream().filter(deliveries -> deliveries.size() > 1).count();
        LOG.info("Broker failover: {} work-queue batches, {} of them delivered more than once", DELIVERIES.size(), deliveredAgain);
        assertThat(deliveredAgain).as("batches in flight at the kill were rolled back and delivered again: the guards were exercised")
                .isPositive();
        assertThat(status.get("verdict").get("balanced").asBoolean()).as("verdict; report:\n" + report.toPrettyString()).isTrue();
        Map<String, Long> oldTotals = new HashMap<>();
        for (JsonNode kind : report.get("kinds")) {
            String name = kind.get("kind").asText();
            oldTotals.put(name, kind.get("oldTotal").asLong());
            assertThat(kind.get("missing").asLong()).as(name + " lost").isZero();
            assertThat(kind.get("failed").asLong()).as(name + " failed").isZero();
            assertThat(kind.get("deadLettered").asLong()).as(name + " dead-lettered (the demo has no invalid rows here)").isZero();
            assertThat(kind.get("acknowledged").asLong()).as(name + " acknowledged once per old row").isEqualTo(kind.get("oldTotal").asLong());
            assertThat(kind.get("readBackFailed").asLong()).as(name + " not in IM").isZero();
        }
        assertThat(report.get("differences")).as("differences").isEmpty();
        for (JsonNode stage : status.get("stages")) {
            assertThat(stage.get("deadLettered").asLong()).as(stage.get("stage").asText() + " dead letters").isZero();
            assertThat(stage.get("dlqDepth").asLong()).as(stage.get("stage").asText() + " DLQ on the backup").isZero();
        }
        // what IM holds, row by row: a batch delivered again after the failover imported nothing twice
        assertThat(count("sb_c2c_msg")).as("1:1 messages in IM").isEqualTo(oldTotals.get("c2c-messages")).isEqualTo(3000);
        assertThat(count("sb_group_msg")).as("group messages in IM").isEqualTo(oldTotals.get("group-messages")).isEqualTo(1200);

        // the queues and address settings the service provisioned on the primary were replicated
        String queue = brokerProperties.workQueues().get(0);
        JsonNode settings = new ObjectMapper().readTree(manageBackup("getAddressSettingsAsJSON", queue));
        assertThat(settings.get("deadLetterAddress").asText()).isEqualTo(BrokerProperties.deadLetterQueueOf(queue));
    }

    private long count(String table) {
        return sandbox.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    private static long imported(OperatorApi api, String stage) throws Exception {
        for (JsonNode line : api.get("/api/migration/status").get("stages")) {
            if (stage.equals(line.get("stage").asText())) {
                return line.get("imported").asLong();
            }
        }
        throw new AssertionError("no stage " + stage);
    }

    /** A management operation on the backup alone (a connection of its own, not the service's). */
    private static String manageBackup(String operation, Object... args) throws Exception {
        ConnectionFactory factory = new ActiveMQConnectionFactory(backup.url(), ArtemisNodes.USER, ArtemisNodes.PASSWORD);
        try (Connection connection = factory.createConnection()) {
            QueueSession session = (QueueSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            connection.start();
            Message request = session.createMessage();
            JMSManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, args);
            Message reply = requestor.request(request);
            assertThat(JMSManagementHelper.hasOperationSucceeded(reply)).as(operation + " on the backup").isTrue();
            return String.valueOf(JMSManagementHelper.getResult(reply));
        }
    }
}
