package org.imsmooth.ops.security;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With a production IM ({@link ImTarget}) the built-in sandbox's endpoints ({@code /v4/**},
 * {@code /sandbox/**}: faults, quotas, reset, acting as any user) are switched off, whatever
 * {@code SANDBOX_ENABLED} says: this runs before any bean is defined, so no sandbox bean exists.
 * Only for the migration service itself (not the stand-alone sandbox or a test's slice of it).
 * Registered in META-INF/spring.factories.
 */
public class ProductionMode implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "imsmooth-production-im";
    private static final String APPLICATION = "org.imsmooth.ImMigrationApplication";

    private final Log log;

    public ProductionMode(DeferredLogFactory logs) {
        this.log = logs.getLog(ProductionMode.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean service = application.getAllSources().stream()
                .anyMatch(source -> source instanceof Class<?> type && APPLICATION.equals(type.getName()));
        if (!service || ImTarget.builtInSandbox(environment)) {
            return;
        }
        if (environment.getProperty("sandbox.enabled", Boolean.class, false)) {
            log.warn("IM is not the built-in sandbox: the sandbox's endpoints (/v4/**, /sandbox/**) are switched off "
                    + "although SANDBOX_ENABLED / sandbox.enabled is true");
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, Map.of("sandbox.enabled", "false")));
    }

    @Override
    public int getOrder() {
        // after the configuration files and the command line are in the environment
        return Ordered.LOWEST_PRECEDENCE;
    }
}
