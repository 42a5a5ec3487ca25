package org.imsmooth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.util.Arrays;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import org.imsmooth.ops.security.StartupChecks;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code broker.cluster-node-urls} lists one node per entry: an entry that is not one node's address
 * (it made every depth unknown, so no stage ended) stops the service at startup with the property and
 * the entry named, before any bean, and again should a {@link QueueDepth} be made without those checks.
 */
class ClusterNodeUrlsTest {

    @Test
    void entriesThatNameOneNodeAreKeptTrimmedAndBlanksDropped() {
        assertThat(ClusterNodeUrls.parse(Arrays.asList(" tcp://node-a:61616 ", "node-b:61617", "", "  ",
                "TCP://10.0.0.3:61616?sslEnabled=true&trustStorePath=/etc/t.jks", "[::1]:61618", "tcp://[fd00::2]:61619")))
                .containsExactly("tcp://node-a:61616", "node-b:61617", "TCP://10.0.0.3:61616?sslEnabled=true&trustStorePath=/etc/t.jks",
                        "[::1]:61618", "tcp://[fd00::2]:61619");
        assertThat(ClusterNodeUrls.parse(null)).isEmpty();
        assertThat(ClusterNodeUrls.parse(List.of())).isEmpty();
    }

    @Test
    void aMalformedEntryIsRefusedWithThePropertyAndTheEntryNamed() {
        refused("node-b", "has no port");
        refused("tcp://node-b", "has no port");
        refused("tcp://node-b:", "has no port");
        refused("[::1]", "has no port");
        refused("tcp://:61616", "has no host");
        refused("tcp://node-b:6161x", "has the port '6161x'");
        refused("node-b:70000", "has the port '70000'");
        refused("node-b:0", "has the port '0'");
        refused("http://node-b:8161", "has the scheme 'http://'");
        refused("(tcp://node-a:61616,tcp://node-b:61616)?ha=true", "is a list of several nodes");
        refused("tcp://node-b:61616?ha=true", "would count another node");
        refused("tcp://node-b:61616?useTopologyForLoadBalancing=true", "would count another node");
        refused("tcp://node-b:61616?sslEnabled", "not name=value");
        refused("tcp://user@node-b:61616", "is not host:port");
        refused("tcp://node b:61616", "is not a URL");
    }

    @Test
    void theMessageMasksAPasswordInTheEntrysOptions() {
        assertThatThrownBy(() -> ClusterNodeUrls.parse(List.of("tcp://node-b:61616?trustStorePassword=s3cret&ha=true")))
                .hasMessageContaining("trustStorePassword=****").hasMessageNotContaining("s3cret");
    }

    @Test
    void theServiceRefusesToStartBeforeAnyBeanAndAQueueDepthCannotBeMade() {
        MockEnvironment env = new MockEnvironment().withProperty("sandbox.enabled", "true")
                .withProperty("oldsystem.datasource.url", "jdbc:h2:mem:cluster-node-urls")
                .withProperty("broker.cluster-node-urls", "tcp://node-a:61616, node-b");
        StartupChecks checks = new StartupChecks();
        checks.setEnvironment(env);
        assertThatThrownBy(() -> checks.postProcessBeanFactory(new StaticApplicationContext().getBeanFactory()))
                .hasMessageContaining("broker.cluster-node-urls").hasMessageContaining("'node-b' has no port");
        env.setProperty("broker.cluster-node-urls", "tcp://node-a:61616, node-b:61616");
        checks.postProcessBeanFactory(new StaticApplicationContext().getBeanFactory());

        assertThatThrownBy(() -> new QueueDepth(mock(ConnectionFactory.class), "native", List.of("tcp://node-a:61616", "node-b"), null))
                .hasMessageContaining("broker.cluster-node-urls").hasMessageContaining("'node-b' has no port");
    }

    private static void refused(String entry, String problem) {
        assertThatThrownBy(() -> ClusterNodeUrls.parse(List.of("tcp://fine:61616", entry)))
                .as(entry).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("broker.cluster-node-urls (BROKER_CLUSTER_NODE_URLS): entry '" + entry + "' ")
                .hasMessageContaining(problem);
    }
}
