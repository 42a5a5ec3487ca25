package org.imsmooth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so docker-compose.yml is checked structurally: every service has an
 * image and a command, references resolve (depends_on, volumes, health checks), bind mounts point at
 * real files of this repository, and every environment variable given to the service is one that
 * application.yml actually reads, so a renamed setting cannot silently stop working in compose.
 */
class DockerComposeFileTest {

    static JsonNode compose;
    static String applicationYml;
    private static final Pattern PORT = Pattern.compile("\\d{1,5}:\\d{1,5}");

    @BeforeAll
    static void load() throws Exception {
        compose = new ObjectMapper(new YAMLFactory()).readTree(new File("docker-compose.yml"));
        applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
    }

    @Test
    void servicesAreComplete() {
        JsonNode services = compose.get("services");
        assertThat(services).isNotNull();
        assertThat(fieldNames(services)).contains("im-migration", "im-sandbox", "artemis", "postgres");
        services.fields().forEachRemaining(e -> {
            JsonNode service = e.getValue();
            assertThat(service.hasNonNull("image")).as(e.getKey() + " image").isTrue();
            service.path("ports").forEach(p -> assertThat(p.asText()).as(e.getKey() + " port").matches(PORT));
        });
        assertThat(services.at("/artemis/image").asText()).startsWith("apache/activemq-artemis:2.40");
    }

    @Test
    void dependenciesAndVolumesResolve() {
        JsonNode services = compose.get("services");
        List<String> namedVolumes = fieldNames(compose.get("volumes"));
        services.fields().forEachRemaining(e -> {
            JsonNode dependsOn = e.getValue().path("depends_on");
            dependsOn.fields().forEachRemaining(d -> {
                assertThat(services.has(d.getKey())).as(e.getKey() + " depends on " + d.getKey()).isTrue();
                if ("service_healthy".equals(d.getValue().path("condition").asText())) {
                    assertThat(services.get(d.getKey()).has("healthcheck")).as(d.getKey() + " healthcheck").isTrue();
                }
            });
            e.getValue().path("volumes").forEach(v -> {
                String source = v.asText().split(":")[0];
                if (source.startsWith("./")) {
                    boolean builtJar = source.equals("./target/im-migration.jar");
                    assertThat(builtJar || Files.exists(Path.of(source))).as(e.getKey() + " mount " + source).isTrue();
                } else {
                    assertThat(namedVolumes).as(e.getKey() + " volume " + source).contains(source);
                }
            });
        });
    }

    @Test
    void serviceEnvironmentIsReadByTheApplication() {
        for (String service : List.of("im-migration", "im-sandbox")) {
            JsonNode env = compose.at("/services/" + service + "/environment");
            assertThat(env.isObject()).isTrue();
            for (String key : fieldNames(env)) {
                assertThat(applicationYml).as(service + " sets " + key + ", which application.yml must read")
                        .contains("${" + key + ":");
            }
        }
        Map<String, String> expected = Map.of("BROKER_MODE", "native", "BROKER_EMBEDDED", "false", "SANDBOX_ENABLED", "false");
        expected.forEach((k, v) -> assertThat(compose.at("/services/im-migration/environment/" + k).asText()).isEqualTo(v));
    }

    @Test
    void theBuiltJarIsWhatTheServicesRun() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<finalName>im-migration</finalName>");
        assertThat(compose.at("/services/im-sandbox/command").toString()).contains("sandbox");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
