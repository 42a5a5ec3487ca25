package org.imsmooth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The jar's routes and mapping stand in when the working directory has no routes/ folder, and only then. */
class BundledRoutesTest {

    @TempDir
    Path folder;

    private final List<String> logged = new ArrayList<>();
    private final BundledRoutes bundled = new BundledRoutes(destination -> recordingLog());

    @Test
    void theBuildCopiesRoutesAndTheMappingOntoTheClasspath() throws IOException {
        Resource[] routes = new PathMatchingResourcePatternResolver().getResources(BundledRoutes.BUNDLED_PATTERN);
        assertThat(Arrays.stream(routes).map(Resource::getFilename))
                .contains("migration.camel.yaml", "error-handling.camel.yaml", "import-accounts.camel.yaml", "sync-im-to-old.camel.yaml");
        assertThat(new ClassPathResource("routes/old-system/mapping.yml").exists()).isTrue();
        assertThat(new ClassPathResource("routes/old-system/sync-writes.yml").exists()).isTrue();
    }

    @Test
    void anEmptyFolderGetsTheJarsRoutesMappingAndSyncWritesWithOneLogLine() throws IOException {
        StandardEnvironment environment = serviceEnvironment(Map.of());

        assertThat(bundled.apply(environment, folder)).isTrue();

        assertThat(environment.getProperty(BundledRoutes.PATTERN_PROPERTY)).isEqualTo("classpath:routes/*.yaml");
        assertThat(environment.getProperty("oldsystem.queries.accounts.sql")).contains("FROM users");
        assertThat(environment.getProperty("oldsystem.page-size")).isEqualTo("5000");
        assertThat(environment.getProperty("sync.im-to-old.writer")).isEqualTo("jdbc");
        // application.yml's own keys are still read (the bundled files sit beside it, not instead of it)
        assertThat(environment.getProperty("im.admin")).isEqualTo("administrator");
        assertThat(logged).singleElement().asString()
                .contains("No routes/ folder in " + folder)
                .contains("old-system/mapping.yml", "old-system/sync-writes.yml", "classpath:routes/");
    }

    @Test
    void aRoutesFolderInTheWorkingDirectoryWins() throws IOException {
        Files.createDirectories(folder.resolve("routes/old-system"));
        StandardEnvironment environment = serviceEnvironment(Map.of());

        assertThat(bundled.apply(environment, folder)).isFalse();

        assertThat(environment.getProperty(BundledRoutes.PATTERN_PROPERTY)).isEqualTo("file:routes/*.yaml");
        assertThat(environment.getProperty("oldsystem.queries.accounts.sql")).isNull();
        assertThat(logged).isEmpty();
    }

    @Test
    void aRoutesPatternOrMappingTheUserSetIsKept() throws IOException {
        StandardEnvironment ownPattern = serviceEnvironment(Map.of(BundledRoutes.PATTERN_PROPERTY, "file:/opt/my-routes/*.yaml"));
        assertThat(bundled.apply(ownPattern, folder)).isFalse();
        assertThat(ownPattern.getProperty(BundledRoutes.PATTERN_PROPERTY)).isEqualTo("file:/opt/my-routes/*.yaml");
        assertThat(ownPattern.getProperty("oldsystem.queries.accounts.sql")).isNull();

        StandardEnvironment ownMapping = serviceEnvironment(Map.of("OLD_SYSTEM_MAPPING", "/opt/my-mapping.yml"));
        assertThat(bundled.apply(ownMapping, folder)).isTrue();
        assertThat(ownMapping.getProperty(BundledRoutes.PATTERN_PROPERTY)).isEqualTo("classpath:routes/*.yaml");
        assertThat(ownMapping.getProperty("oldsystem.queries.accounts.sql")).as("the user's mapping is not replaced").isNull();
        assertThat(ownMapping.getProperty("sync.im-to-old.writer")).isEqualTo("jdbc");
    }

    /** application.yml as Boot adds it, plus what the user set (highest precedence). */
    private static StandardEnvironment serviceEnvironment(Map<String, Object> userSettings) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        List<PropertySource<?>> application = new YamlPropertySourceLoader().load(
                "Config resource 'class path resource [application.yml]' via location 'optional:classpath:/'",
                new ClassPathResource("application.yml"));
        application.forEach(environment.getPropertySources()::addLast);
        environment.getPropertySources().addFirst(new MapPropertySource("user", userSettings));
        return environment;
    }

    private Log recordingLog() {
        return (Log) Proxy.newProxyInstance(Log.class.getClassLoader(), new Class<?>[] {Log.class}, (proxy, method, args) -> {
            if (method.getName().equals("info")) {
                logged.add(String.valueOf(args[0]));
            }
            return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
    }
}
