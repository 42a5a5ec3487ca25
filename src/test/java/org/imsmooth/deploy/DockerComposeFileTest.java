package org.imsmooth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No Docker engine runs here, so docker-compose.yml (alone, and with the PostgreSQL sample's overlay)
 * is checked for what would break a {@code docker compose up}: every service has an image or a
 * buildable Dockerfile; the service's URLs point at the services that really serve them, on the ports
 * they listen on, with the credentials those services were given; the service and the sandbox agree
 * on SdkAppId, admin, SecretKey and callback token; every database the service uses is created;
 * mounts point at files of this repository; every variable given to the service is one it reads.
 */
class DockerComposeFileTest {

    static final String SERVICE = "im-migration";
    static final String SANDBOX = "im-sandbox";
    static final String BROKER = "artemis";
    static final String BACKUP_BROKER = "artemis-backup";
    static final String HA_OVERLAY = "docker-compose.ha.yml";
    static final String ARTEMIS_IMAGE = "apache/activemq-artemis:2.40.0";
    static final String DATABASE = "postgres";
    static final String INIT_DIR = "/docker-entrypoint-initdb.d/";
    private static final Pattern JDBC_POSTGRES = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([A-Za-z0-9_]+)");
    private static final Pattern DEV_TCP = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+)");

    static String applicationYml;

    static Stream<List<String>> composeFiles() {
        return Stream.of(List.of("docker-compose.yml"), List.of("docker-compose.yml", "samples/postgresql/docker-compose.yml"),
                List.of("docker-compose.yml", HA_OVERLAY));
    }

    @BeforeAll
    static void load() throws IOException {
        applicationYml = Files.readString(Path.of("src/main/resources/application.yml"));
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void everyServiceHasAnImageOrABuildableDockerfile(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        assertThat(compose.serviceNames()).contains(SERVICE, SANDBOX, BROKER, DATABASE);
        for (String name : compose.serviceNames()) {
            JsonNode service = compose.service(name);
            assertThat(service.hasNonNull("image") || service.hasNonNull("build")).as(name + " has an image or a build").isTrue();
            if (service.hasNonNull("build")) {
                String context = service.get("build").isTextual() ? service.get("build").asText() : service.at("/build/context").asText(".");
                assertThat(Path.of(context, "Dockerfile")).as(name + " build context has a Dockerfile").exists();
            }
        }
        assertThat(compose.service(BROKER).path("image").asText()).isEqualTo("apache/activemq-artemis:2.40.0");
        assertThat(compose.service(DATABASE).path("image").asText()).startsWith("postgres:");
        assertThat(compose.command(SANDBOX)).as("the sandbox runs the service jar's sandbox mode").first().isEqualTo("sandbox");
        assertThat(compose.service(SANDBOX).path("image").asText()).isEqualTo(compose.service(SERVICE).path("image").asText());
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void dependenciesHealthChecksAndMountsResolve(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        List<String> namedVolumes = ComposeProject.names(compose.root.path("volumes"));
        for (String name : compose.serviceNames()) {
            compose.service(name).path("depends_on").fields().forEachRemaining(d -> {
                assertThat(compose.serviceNames()).as(name + " depends on " + d.getKey()).contains(d.getKey());
                if ("service_healthy".equals(d.getValue().path("condition").asText())) {
                    assertThat(compose.service(d.getKey()).has("healthcheck")).as(d.getKey() + " has a healthcheck").isTrue();
                }
            });
            for (String[] volume : compose.volumes(name)) {
                if (volume[0].startsWith("./")) {
                    assertThat(Path.of(volume[0])).as(name + " mounts " + volume[0] + ", a file of this repository").exists();
                } else {
                    assertThat(namedVolumes).as(name + " uses volume " + volume[0]).contains(volume[0]);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void everyVariableGivenToTheServiceIsOneItReads(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        for (String service : List.of(SERVICE, SANDBOX)) {
            for (String key : compose.environment(service).keySet()) {
                assertThat(applicationYml).as(service + " sets " + key + ", which application.yml must read").contains("${" + key + ":");
            }
        }
        Map<String, String> env = compose.environment(SERVICE);
        assertThat(env).containsEntry("BROKER_MODE", "native").containsEntry("BROKER_EMBEDDED", "false")
                .containsEntry("SANDBOX_ENABLED", "false");
        assertThat(env.get("OPS_USER")).as("operator login").isNotBlank();
        assertThat(env.get("OPS_PASSWORD")).as("operator password").isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void theServiceReachesTheBrokerWithItsCredentials(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        Map<String, String> env = compose.environment(SERVICE);
        List<URI> brokers = brokerEndpoints(env.get("BROKER_URL"));
        assertThat(brokers).as("BROKER_URL names the broker").isNotEmpty();
        for (URI broker : brokers) {
            assertThat(broker.getScheme()).isEqualTo("tcp");
            assertThat(compose.service(broker.getHost()).path("image").asText()).as(broker.getHost() + " is an Artemis node")
                    .isEqualTo(ARTEMIS_IMAGE);
            assertThat(broker.getPort()).as("the Artemis image's acceptor").isEqualTo(61616);
            assertThat(dependsOn(compose, SERVICE)).contains(broker.getHost());
            Map<String, String> artemis = compose.environment(broker.getHost());
            assertThat(env.get("BROKER_USER")).isEqualTo(artemis.get("ARTEMIS_USER"));
            assertThat(env.get("BROKER_PASSWORD")).isEqualTo(artemis.get("ARTEMIS_PASSWORD"));
        }
        if (brokers.size() > 1) {
            // the client follows the pair's topology and reconnects until the backup answers
            assertThat(env.get("BROKER_URL")).contains("ha=true").contains("reconnectAttempts=-1");
        }
    }

    @Test
    void theHaOverlayRunsAReplicatedLiveBackupPairTheServiceFailsOverTo() throws IOException {
        ComposeProject compose = ComposeProject.load(List.of("docker-compose.yml", HA_OVERLAY));
        List<String> primary = createArguments(compose, BROKER);
        List<String> backup = createArguments(compose, BACKUP_BROKER);
        assertThat(primary).contains("--replicated").doesNotContain("--backup", "--shared-store");
        assertThat(backup).contains("--replicated", "--backup").doesNotContain("--shared-store");
        for (String node : List.of(BROKER, BACKUP_BROKER)) {
            List<String> args = createArguments(compose, node);
            // a node announces the name given to --host: the other node and the clients must reach it by it
            assertThat(option(args, "--host")).as(node + " --host").isEqualTo(node);
            assertThat(compose.service(node).path("hostname").asText()).isEqualTo(node);
            assertThat(compose.service(node).path("image").asText()).isEqualTo(ARTEMIS_IMAGE);
            assertThat(option(args, "--cluster-password")).as(node + " cluster password").isNotBlank();
        }
        assertThat(option(primary, "--staticCluster")).isEqualTo("tcp://" + BACKUP_BROKER + ":61616");
        assertThat(option(backup, "--staticCluster")).isEqualTo("tcp://" + BROKER + ":61616");
        assertThat(option(primary, "--cluster-user")).isEqualTo(option(backup, "--cluster-user"));
        assertThat(option(primary, "--cluster-password")).isEqualTo(option(backup, "--cluster-password"));
        assertThat(compose.environment(BROKER).get("ARTEMIS_USER")).isEqualTo(compose.environment(BACKUP_BROKER).get("ARTEMIS_USER"));
        assertThat(compose.environment(BROKER).get("ARTEMIS_PASSWORD")).isEqualTo(compose.environment(BACKUP_BROKER).get("ARTEMIS_PASSWORD"));

        // artemis create runs on an empty volume only: each node has its own, the primary not the single broker's
        String primaryVolume = instanceVolume(compose, BROKER);
        String backupVolume = instanceVolume(compose, BACKUP_BROKER);
        assertThat(primaryVolume).isNotEqualTo(backupVolume)
                .isNotEqualTo(instanceVolume(ComposeProject.load(List.of("docker-compose.yml")), BROKER));
        assertThat(compose.volumes(BROKER).stream().filter(v -> v[1].equals(ARTEMIS_INSTANCE))).hasSize(1);

        assertThat(brokerEndpoints(compose.environment(SERVICE).get("BROKER_URL")))
                .extracting(URI::getHost).containsExactlyInAnyOrder(BROKER, BACKUP_BROKER);
        // the primary's acceptor listens on its --host name, which its healthcheck must use
        assertThat(compose.healthcheck(BROKER)).contains("--url tcp://" + BROKER + ":61616");
    }

    static final String ARTEMIS_INSTANCE = "/var/lib/artemis-instance";

    private static String instanceVolume(ComposeProject compose, String service) {
        return compose.volumes(service).stream().filter(v -> v[1].equals(ARTEMIS_INSTANCE)).map(v -> v[0])
                .reduce((a, b) -> b).orElseThrow();
    }

    /** What the Artemis image passes to {@code artemis create} besides user, password and login. */
    private static List<String> createArguments(ComposeProject compose, String service) {
        String extra = compose.environment(service).getOrDefault("EXTRA_ARGS", "");
        return List.of(extra.trim().split("\\s+"));
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        assertThat(i).as(name + " in " + args).isNotNegative();
        return args.get(i + 1);
    }

    /** {@code tcp://a:1} or Artemis' list form {@code (tcp://a:1,tcp://b:1)?options}. */
    static List<URI> brokerEndpoints(String url) {
        String list = url.startsWith("(") ? url.substring(1, url.indexOf(')')) : url;
        return java.util.Arrays.stream(list.split(",")).map(String::trim).map(URI::create).toList();
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void everyDatabaseTheServiceUsesIsCreatedOnThePostgresService(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        Map<String, String> env = compose.environment(SERVICE);
        Map<String, String> postgres = compose.environment(DATABASE);
        List<String> created = new ArrayList<>(List.of(postgres.getOrDefault("POSTGRES_DB", "postgres")));
        for (String script : initScripts(compose)) {
            Matcher m = Pattern.compile("CREATE DATABASE (\\w+)").matcher(Files.readString(Path.of(script)));
            while (m.find()) {
                created.add(m.group(1));
            }
        }
        for (String prefix : List.of("STATE_DB", "OLD_SYSTEM_DB")) {
            Matcher url = JDBC_POSTGRES.matcher(env.get(prefix + "_URL"));
            assertThat(url.matches()).as(prefix + "_URL " + env.get(prefix + "_URL")).isTrue();
            assertThat(url.group(1)).isEqualTo(DATABASE);
            assertThat(Integer.parseInt(url.group(2))).isEqualTo(5432);
            assertThat(created).as(prefix + "_URL's database is created").contains(url.group(3));
            assertThat(env.get(prefix + "_USER")).isEqualTo(postgres.getOrDefault("POSTGRES_USER", "postgres"));
            assertThat(env.get(prefix + "_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        }
        assertThat(dependsOn(compose, SERVICE)).contains(DATABASE);
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void initScriptsIncludeOnlyMountedFiles(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        Map<String, String> mounted = new HashMap<>();
        compose.volumes(DATABASE).forEach(v -> mounted.put(v[1], v[0]));
        List<String> scripts = initScripts(compose);
        assertThat(scripts).as("the old system's database is created at first start").isNotEmpty();
        for (String script : scripts) {
            Matcher include = Pattern.compile("\\\\i (\\S+)").matcher(Files.readString(Path.of(script)));
            while (include.find()) {
                String target = include.group(1);
                String source = mounted.entrySet().stream()
                        .filter(m -> target.equals(m.getKey()) || target.startsWith(m.getKey() + "/"))
                        .map(m -> m.getValue() + target.substring(m.getKey().length())).findFirst().orElse(null);
                assertThat(source).as(script + " includes " + target + ", which must be mounted").isNotNull();
                assertThat(Path.of(source)).as(target + " comes from " + source).exists();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void theServiceAndTheSandboxCallEachOtherAndAgreeOnTheApp(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        Map<String, String> service = compose.environment(SERVICE);
        Map<String, String> sandbox = compose.environment(SANDBOX);
        URI im = URI.create(service.get("IM_BASE_URL"));
        assertThat(im.getHost()).isEqualTo(SANDBOX);
        assertThat(im.getPort()).as("the sandbox's --server.port").isEqualTo(listeningPort(compose, SANDBOX));
        assertThat(dependsOn(compose, SERVICE)).contains(SANDBOX);
        URI callback = URI.create(sandbox.get("SANDBOX_CALLBACK_URL"));
        assertThat(callback.getHost()).isEqualTo(SERVICE);
        assertThat(callback.getPort()).isEqualTo(listeningPort(compose, SERVICE));
        assertThat(callback.getPath()).as("DEVELOPERS.md: IM callbacks").isEqualTo("/im/callback");
        // a different SecretKey fails every UserSig, a different token every signed callback
        for (String key : List.of("IM_SDK_APP_ID", "IM_ADMIN", "IM_SECRET_KEY", "IM_CALLBACK_TOKEN")) {
            assertThat(service.get(key)).as(key).isNotBlank().isEqualTo(sandbox.get(key));
        }
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void publishedPortsAndHealthChecksHitWhatListens(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        Map<String, Set<Integer>> listening = Map.of(SERVICE, Set.of(listeningPort(compose, SERVICE)),
                SANDBOX, Set.of(listeningPort(compose, SANDBOX)), BROKER, Set.of(8161, 61616), BACKUP_BROKER, Set.of(8161, 61616),
                DATABASE, Set.of(5432));
        List<Integer> hostPorts = new ArrayList<>();
        for (String name : compose.serviceNames()) {
            for (int[] port : compose.ports(name)) {
                assertThat(listening.get(name)).as(name + " publishes container port " + port[1]).contains(port[1]);
                hostPorts.add(port[0]);
            }
            Matcher tcp = DEV_TCP.matcher(compose.healthcheck(name));
            if (tcp.find()) {
                assertThat(listening.get(name)).as(name + " healthcheck port").contains(Integer.parseInt(tcp.group(1)));
            }
        }
        assertThat(hostPorts).as("host ports").doesNotHaveDuplicates().contains(8080);
    }

    @Test
    void theDockerfileBuildsTheImageComposeRuns() throws IOException {
        List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
        String ignore = Files.readString(Path.of(".dockerignore"));
        String pom = Files.readString(Path.of("pom.xml"));
        String workdir = null;
        String jar = null;
        List<String> copiedTargets = new ArrayList<>();
        for (String line : dockerfile) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("WORKDIR")) {
                workdir = words[1];
            }
            if (words[0].equals("COPY")) {
                String source = words[1];
                if (source.equals("target/im-migration.jar")) {
                    assertThat(pom).as("mvn package builds " + source).contains("<finalName>im-migration</finalName>");
                    jar = words[2];
                } else {
                    assertThat(Path.of(source)).as("COPY " + source).exists();
                }
                assertThat(ignore).as(".dockerignore lets " + source + " into the build context").contains("!" + source);
                copiedTargets.add(words[2]);
            }
        }
        assertThat(workdir).isEqualTo("/app");
        // routes are loaded from file:routes/*.yaml, relative to the working directory
        assertThat(applicationYml).contains("${ROUTES_PATTERN:file:routes/*.yaml}");
        assertThat(copiedTargets).contains(workdir + "/routes");
        assertThat(jar).as("the built jar is copied").isNotNull();
        assertThat(dockerfile.stream().filter(l -> l.startsWith("ENTRYPOINT")))
                .singleElement().asString().contains("\"java\", \"-jar\", \"" + jar + "\"");
    }

    @ParameterizedTest
    @MethodSource("composeFiles")
    void theOldSystemMappingIsInTheImage(List<String> files) throws IOException {
        ComposeProject compose = ComposeProject.load(files);
        String mapping = compose.environment(SERVICE).getOrDefault("OLD_SYSTEM_MAPPING", "routes/old-system/mapping.yml");
        assertThat(Path.of(mapping)).as("OLD_SYSTEM_MAPPING, relative to /app (this folder in the image)").exists();
        assertThat(mapping.startsWith("routes/") || mapping.startsWith("samples/")).as(mapping + " is copied into /app").isTrue();
    }

    @Test
    void everyVariableOfTheEnvExampleIsOneComposeUses() throws IOException {
        String compose = Files.readString(Path.of("docker-compose.yml")) + Files.readString(Path.of(HA_OVERLAY));
        List<String> variables = Files.readAllLines(Path.of(".env.example")).stream()
                .map(l -> l.startsWith("#") ? l.substring(1) : l)
                .filter(l -> l.matches("[A-Z][A-Z0-9_]*=.*")).map(l -> l.substring(0, l.indexOf('='))).toList();
        assertThat(variables).contains("OPS_USER", "OPS_PASSWORD", "IM_SECRET_KEY", "IM_BASE_URL");
        for (String variable : variables) {
            assertThat(compose).as(".env.example sets " + variable).contains("${" + variable);
        }
        assertThat(Files.readAllLines(Path.of(".gitignore"))).as(".env holds secrets").contains(".env");
    }

    private static int listeningPort(ComposeProject compose, String service) {
        for (String arg : compose.command(service)) {
            if (arg.startsWith("--server.port=")) {
                return Integer.parseInt(arg.substring("--server.port=".length()));
            }
        }
        return Integer.parseInt(compose.environment(service).getOrDefault("PORT", "8080"));
    }

    private static List<String> dependsOn(ComposeProject compose, String service) {
        JsonNode dependsOn = compose.service(service).path("depends_on");
        List<String> names = new ArrayList<>();
        if (dependsOn.isArray()) {
            dependsOn.forEach(d -> names.add(d.asText()));
        } else {
            names.addAll(ComposeProject.names(dependsOn));
        }
        return names;
    }

    private static List<String> initScripts(ComposeProject compose) {
        return compose.volumes(DATABASE).stream().filter(v -> v[1].startsWith(INIT_DIR) && v[0].startsWith("./"))
                .map(v -> v[0]).toList();
    }
}
