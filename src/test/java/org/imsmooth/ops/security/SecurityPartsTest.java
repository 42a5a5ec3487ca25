package org.imsmooth.ops.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ObjectName;

import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The decisions of the security parts on their own: the Jolokia policy, refusal logs, log values, paths. */
class SecurityPartsTest {

    private final JolokiaAccessPolicy policy = new JolokiaAccessPolicy();

    @Test
    void jolokiaPolicyAllowsDeadLetterAndRouteOperationsOnly() throws Exception {
        ObjectName dlq = new ObjectName("org.apache.activemq.artemis:broker=\"b1\",component=addresses,address=\"im.x.DLQ\","
                + "subcomponent=queues,routing-type=\"anycast\",queue=\"im.x.DLQ\"");
        for (String op : new String[] {"browse", "countMessages", "listMessagesAsJSON(java.lang.String)", "retryMessages",
                "moveMessages(java.lang.String,java.lang.String)", "removeMessage(long)", "removeAllMessages"}) {
            assertThat(policy.isOperationAllowed(dlq, op)).as(op).isTrue();
        }
        for (String op : new String[] {"sendMessage", "pause", "resetAllGroups", "expireMessages"}) {
            assertThat(policy.isOperationAllowed(dlq, op)).as(op).isFalse();
        }
        ObjectName broker = new ObjectName("org.apache.activemq.artemis:broker=\"b1\"");
        assertThat(policy.isOperationAllowed(broker, "getAddressSettingsAsJSON(java.lang.String)")).isTrue();
        assertThat(policy.isOperationAllowed(broker, "createQueue")).isFalse();
        assertThat(policy.isOperationAllowed(broker, "deleteAddress")).isFalse();
        ObjectName route = new ObjectName("org.apache.camel:context=im-migration,type=routes,name=\"r\"");
        for (String op : new String[] {"start", "stop()", "suspend", "resume"}) {
            assertThat(policy.isOperationAllowed(route, op)).as(op).isTrue();
        }
        assertThat(policy.isOperationAllowed(route, "remove")).isFalse();
        assertThat(policy.isOperationAllowed(route, "updateRouteFromXml")).isFalse();
        ObjectName context = new ObjectName("org.apache.camel:context=im-migration,type=context,name=\"im-migration\"");
        for (String op : new String[] {"requestStringBody", "sendStringBody", "sendBody", "requestBody", "stop", "dumpRoutesAsXml"}) {
            assertThat(policy.isOperationAllowed(context, op)).as(op).isFalse();
        }
        assertThat(policy.isOperationAllowed(new ObjectName("org.apache.camel:type=routes,*"), "stop")).as("pattern").isFalse();
        ObjectName diagnostic = new ObjectName("com.sun.management:type=DiagnosticCommand");
        assertThat(policy.isObjectNameHidden(diagnostic)).isTrue();
        assertThat(policy.isOperationAllowed(diagnostic, "vmSystemProperties")).isFalse();
        assertThat(policy.isAttributeReadAllowed(new ObjectName("java.lang:type=Runtime"), "SystemProperties")).isFalse();
        assertThat(policy.isAttributeReadAllowed(new ObjectName("java.lang:type=Runtime"), "Uptime")).isTrue();
        assertThat(policy.isAttributeWriteAllowed(route, "TracingLevel")).isFalse();
        assertThat(policy.isTypeAllowed(RequestType.WRITE)).isFalse();
        assertThat(policy.isTypeAllowed(RequestType.READ)).isTrue();
        assertThat(policy.isHttpMethodAllowed(HttpMethod.GET)).isTrue();
        assertThat(policy.isOriginAllowed("https://evil.example", false)).as("never a CORS header").isFalse();
    }

    @Test
    void refusalLogWritesOneLinePerClientPerIntervalWithACount() {
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("test.refusals." + System.nanoTime());
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        List<String> lines = new ArrayList<>();
        RefusalLog log = new RefusalLog.Factory(Duration.ofSeconds(60), clock).forLogger(logger);
        for (int i = 0; i < 500; i++) {
            log.refused("10.0.0.9", "intake x (401): missing secret\nFORGED");
        }
        assertThat(log.refused("10.0.0.8", "another client")).isTrue();
        appender.list.forEach(e -> lines.add(e.getFormattedMessage()));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("client 10.0.0.9").contains("missing secret\\nFORGED").doesNotContain("\n");
        now.addAndGet(60_000);
        assertThat(log.refused("10.0.0.9", "again")).isTrue();
        assertThat(appender.list.get(2).getFormattedMessage()).contains("499 more refused from this client");
    }

    @Test
    void logValuesAndUserNamesAreSafe() {
        assertThat(LogSafe.value("a\r\nb\u2028c\u0000")).isEqualTo("a\\r\\nb\\u2028c\\u0000");
        assertThat(LogSafe.value("x".repeat(500))).hasSize(203);
        assertThat(LoginThrottle.user("Basic " + Base64.getEncoder().encodeToString("mallory:s3cret:with:colons".getBytes())))
                .isEqualTo("mallory");
        assertThat(LoginThrottle.user("Basic !!!")).isEqualTo("(malformed)");
        assertThat(LoginThrottle.user("Bearer abc")).isEqualTo("(not a basic credential)");
    }

    @Test
    void onlyNormalizedPathsPass() {
        for (String ok : new String[] {"/", "/im/callback", "/actuator/jolokia/read/java.lang:type=Memory", "/api/migration/status",
                "/actuator/jolokia/exec/org.apache.camel:name=%22r%22/stop()", "/v4/openim/sendmsg"}) {
            assertThat(NormalizedPathsOnly.normalized(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"/a/../b", "/a/./b", "/a/..", "/a//b", "/a;x=y/b", "/%2e%2e/x", "/a%2Fb", "/a%5cb", "/%61pi",
                "/a\\b", "/a%"}) {
            assertThat(NormalizedPathsOnly.normalized(bad)).as(bad).isFalse();
        }
    }
}
