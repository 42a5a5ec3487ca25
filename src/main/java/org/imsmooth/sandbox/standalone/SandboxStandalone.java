package org.imsmooth.sandbox.standalone;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.imsmooth.sandbox.SandboxConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Runs only the IM sandbox ({@code java -jar im-migration.jar sandbox --server.port=9090}). Deliberately
 * not a {@code @Configuration}: the main application's component scan must not pick it up. Camel,
 * the broker, Flyway, the service's DataSource and Hawtio/Jolokia are switched off, and so is Spring
 * Security: like Tencent IM, the sandbox authenticates each call itself (UserSig), and the operator
 * console it would guard is not part of this process.
 */
@EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration",
        "org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.jdbc.DataSourceHealthContributorAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.jms.JmsHealthContributorAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.jdbc.DataSourcePoolMetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.jms.JmsMetricsAutoConfiguration",
        "org.apache.camel.spring.boot.CamelAutoConfiguration",
        "org.apache.camel.spring.boot.actuate.console.CamelDevConsoleAutoConfiguration",
        "org.apache.camel.spring.boot.actuate.endpoint.CamelRouteControllerEndpointAutoConfiguration",
        "org.apache.camel.spring.boot.actuate.endpoint.CamelRoutesEndpointAutoConfiguration",
        "org.apache.camel.spring.boot.actuate.health.AsyncHealthIndicatorAutoConfiguration",
        "org.apache.camel.spring.boot.actuate.health.CamelHealthCheckAutoConfiguration",
        "org.apache.camel.spring.boot.actuate.health.CamelAvailabilityCheckAutoConfiguration",
        "org.apache.camel.spring.boot.actuate.info.CamelInfoAutoConfiguration",
        "org.apache.camel.component.platform.http.springboot.PlatformHttpComponentAutoConfiguration",
        "org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpAutoConfiguration",
        "org.apache.camel.component.platform.http.springboot.SpringBootPlatformWebMvcConfiguration",
        "io.hawt.springboot.HawtioEndpointAutoConfiguration",
        "io.hawt.springboot.HawtioLogAutoConfiguration",
        "org.jolokia.support.spring.actuator.JolokiaWebEndpointAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
@Import(SandboxConfiguration.class)
public class SandboxStandalone {

    public static void main(String[] args) {
        run(args);
    }

    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(SandboxStandalone.class);
        Map<String, Object> forced = new HashMap<>();
        forced.put("sandbox.enabled", "true");
        forced.put("spring.application.name", "im-sandbox");
        app.setDefaultProperties(forced);
        // Default properties lose to application.yml (which may say SANDBOX_ENABLED=false): a trailing
        // command-line argument wins over every other source.
        // application.yml points callbacks at the service's own /im/callback; alone, the sandbox has none.
        // (An option given twice becomes "a,b" on Spring's command line: add each one only once.)
        boolean callbackGiven = System.getenv("SANDBOX_CALLBACK_URL") != null
                || Arrays.stream(args).anyMatch(a -> a.startsWith("--sandbox.callback.url"));
        String[] all = Arrays.copyOf(args, args.length + (callbackGiven ? 1 : 2));
        all[args.length] = "--sandbox.enabled=true";
        if (!callbackGiven) {
            all[args.length + 1] = "--sandbox.callback.url=";
        }
        return app.run(all);
    }
}
