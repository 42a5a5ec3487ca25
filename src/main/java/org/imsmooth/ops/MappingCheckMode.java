package org.imsmooth.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code migration.check-mapping=true} ({@code pipeline.MappingCheck}) only reads the old system: the service's
 * other work stays off, so the check may run beside a running service and touches none of its state. No
 * import starts, the state, the sandbox and the broker live in memory (an external broker's work queues are
 * not consumed), no web port is taken, change capture and IM callbacks are off. Registered in
 * META-INF/spring.factories.
 */
public class MappingCheckMode implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "imsmooth-check-mapping";
    private static final String APPLICATION = "org.imsmooth.ImMigrationApplication";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean service = application.getAllSources().stream()
                .anyMatch(source -> source instanceof Class<?> type && APPLICATION.equals(type.getName()));
        if (!service || !environment.getProperty("migration.check-mapping", Boolean.class, false)) {
            return;
        }
        String run = UUID.randomUUID().toString();
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("migration.auto-start", "false");
        off.put("migration.exit-when-done", "false");
        off.put("server.port", "0");
        off.put("spring.datasource.url", "jdbc:h2:mem:check-mapping-state-" + run + ";DB_CLOSE_DELAY=-1");
        off.put("spring.datasource.username", "sa");
        off.put("spring.datasource.password", "");
        off.put("sandbox.state-url", "jdbc:h2:mem:check-mapping-sandbox-" + run + ";DB_CLOSE_DELAY=-1");
        off.put("sandbox.callback.url", "");
        off.put("spring.artemis.mode", "embedded");
        off.put("spring.artemis.embedded.enabled", "true");
        off.put("spring.artemis.embedded.persistent", "false");
        off.put("change-capture.enabled", "false");
        off.put("sync.im-to-old.enabled", "false");
        off.put("pipeline.quota-sharing", "local");
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, off));
    }

    @Override
    public int getOrder() {
        // after the configuration files and the command line are in the environment
        return Ordered.LOWEST_PRECEDENCE;
    }
}
