package org.imsmooth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.imsmooth.broker.BrokerProperties;
import org.imsmooth.support.OperatorLogin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Hawtio is served at the documented URL, and through its Jolokia agent an operator sees the
 * Camel routes (YAML and Java alike) and every work queue with its DLQ in the broker's MBeans.
 */
@CamelSpringBootTest
@DisableJmx(false)
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "migration.auto-start=false")
class HawtioConsoleTest {

    @LocalServerPort int port;
    @Autowired BrokerProperties broker;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void consoleAnswersAtTheDocumentedUrl() throws Exception {
        HttpResponse<String> page = get("/actuator/hawtio/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("hawtio");
    }

    /** The status page links each DLQ to Hawtio's JMX tab and names its MBean: both exist. */
    @Test
    void theStatusPagesDlqLinksOpenTheJmxTabAndNameRealMBeans() throws Exception {
        HttpResponse<String> tab = get(MigrationStatusService.HAWTIO_JMX);
        assertThat(tab.statusCode()).isEqualTo(200);
        assertThat(tab.body()).containsIgnoringCase("hawtio");
        JsonNode dlqs = json.readTree(get("/api/migration/status").body()).get("deadLetterQueues");
        assertThat(dlqs).isNotEmpty();
        for (JsonNode q : dlqs) {
            assertThat(q.get("hawtio").asText()).isEqualTo(MigrationStatusService.HAWTIO_JMX);
            assertThat(jolokiaSearch(q.get("mbean").asText())).as(q.get("mbean").asText()).hasSize(1);
        }
    }

    @Test
    void camelRoutesAreVisibleAsMBeans() throws Exception {
        JsonNode routes = jolokiaSearch("org.apache.camel:context=im-migration,type=routes,*");
        String names = routes.toString();
        assertThat(names).contains("import-accounts-read", "import-accounts", "dead-letter-items", "migration-start");
    }

    @Test
    void everyWorkQueueAndItsDeadLetterQueueAreVisible() throws Exception {
        String queues = jolokiaSearch("org.apache.activemq.artemis:broker=\"" + broker.name() + "\",component=addresses,"
                + "subcomponent=queues,*").toString();
        for (String queue : new String[] {"im.import.accounts", "im.import.group-messages", "im.sync.im-to-old"}) {
            assertThat(queues).contains("queue=\\\"" + queue + "\\\"").contains("queue=\\\"" + queue + ".DLQ\\\"");
        }
        JsonNode dla = jolokia(json.createObjectNode().put("type", "exec")
                .put("mbean", "org.apache.activemq.artemis:broker=\"" + broker.name() + "\"")
                .put("operation", "getAddressSettingsAsJSON").set("arguments", json.createArrayNode().add("im.import.accounts")));
        JsonNode settings = json.readTree(dla.get("value").asText());
        assertThat(settings.get("deadLetterAddress").asText()).isEqualTo("im.import.accounts.DLQ");
        assertThat(settings.get("maxDeliveryAttempts").asInt()).as("the broker's backstop, 10 x the service's 5").isEqualTo(50);
    }

    private JsonNode jolokiaSearch(String pattern) throws Exception {
        return jolokia(json.createObjectNode().put("type", "search").put("mbean", pattern)).get("value");
    }

    private JsonNode jolokia(JsonNode request) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia"))
                .header("Content-Type", "application/json").header("Authorization", OperatorLogin.basic()).POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asInt()).as(response.body()).isEqualTo(200);
        return body;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", OperatorLogin.basic()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
