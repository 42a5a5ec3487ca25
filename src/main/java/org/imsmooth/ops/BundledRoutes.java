package org.imsmooth.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The jar carries the project's {@code routes/} folder (pom.xml copies it to {@code classpath:routes/}). When
 * the service starts in a folder without {@code routes/} and neither the routes pattern nor the mapping files
 * were set, it loads the routes, the old-system mapping and the sync writes from the jar instead, and says so
 * in one log line: {@code java -jar im-migration.jar} then runs the demo from any folder. A {@code routes/}
 * folder in the working directory, {@code ROUTES_PATTERN}, {@code OLD_SYSTEM_MAPPING} or
 * {@code OLD_SYSTEM_SYNC_WRITES} always win. Registered in META-INF/spring.factories.
 */
public class BundledRoutes implements EnvironmentPostProcessor, Ordered {

    static final String DEFAULT_PATTERN = "file:routes/*.yaml";
    static final String BUNDLED_PATTERN = "classpath:routes/*.yaml";
    static final String PATTERN_PROPERTY = "camel.main.routes-include-pattern";
    static final String SOURCE = "imsmooth-bundled-routes";
    /** Variable, default file (relative to the working directory) and the jar's copy of each configuration file. */
    static final List<String[]> FILES = List.of(
            new String[] {"OLD_SYSTEM_MAPPING", "routes/old-system/mapping.yml"},
            new String[] {"OLD_SYSTEM_SYNC_WRITES", "routes/old-system/sync-writes.yml"});
    private static final String APPLICATION = "org.imsmooth.ImMigrationApplication";

    private final Log log;

    public BundledRoutes(DeferredLogFactory logs) {
        this.log = logs.getLog(BundledRoutes.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean service = application.getAllSources().stream()
                .anyMatch(source -> source instanceof Class<?> type && APPLICATION.equals(type.getName()));
        if (service) {
            apply(environment, Path.of("").toAbsolutePath());
        }
    }

    /** Falls back to the jar's routes when {@code workingDirectory} has no routes folder; true when it did. */
    boolean apply(ConfigurableEnvironment environment, Path workingDirectory) {
        if (Files.isDirectory(workingDirectory.resolve("routes"))
                || !DEFAULT_PATTERN.equals(environment.getProperty(PATTERN_PROPERTY))
                || !new ClassPathResource("routes/migration.camel.yaml").exists()) {
            return false;
        }
        MutablePropertySources sources = environment.getPropertySources();
        sources.addFirst(new MapPropertySource(SOURCE, Map.of(PATTERN_PROPERTY, BUNDLED_PATTERN)));
        StringBuilder loaded = new StringBuilder("the routes");
        for (String[] file : FILES) {
            if (environment.getProperty(file[0]) != null || Files.exists(workingDirectory.resolve(file[1]))) {
                continue; // set by the user (OldSystemConfigurationCheck reports a missing file), or there after all
            }
            for (PropertySource<?> yaml : load(file[1])) {
                addAsImported(sources, yaml);
            }
            loaded.append(", ").append(file[1].substring("routes/".length()));
        }
        log.info("No routes/ folder in " + workingDirectory + ": using " + loaded
                + " carried in the jar (classpath:routes/); copy the project's routes/ folder here to change them");
        return true;
    }

    private static List<PropertySource<?>> load(String path) {
        try {
            return new YamlPropertySourceLoader().load("bundled " + path, new ClassPathResource(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the jar's " + path, e);
        }
    }

    /** Where spring.config.import would have put the file: just above the application.yml that imports it. */
    private static void addAsImported(MutablePropertySources sources, PropertySource<?> yaml) {
        for (PropertySource<?> source : sources) {
            if (source.getName().contains("[application.yml]")) {
                sources.addBefore(source.getName(), yaml);
                return;
            }
        }
        sources.addLast(yaml);
    }

    @Override
    public int getOrder() {
        // after the configuration files and the command line are in the environment
        return Ordered.LOWEST_PRECEDENCE;
    }
}
