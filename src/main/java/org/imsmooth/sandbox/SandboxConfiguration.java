package org.imsmooth.sandbox;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Entry point of the sandbox's beans. The full application finds the sandbox through its own scan;
 * the standalone launcher imports this class, whose scan then brings in the rest.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSandbox
@EnableConfigurationProperties(SandboxProperties.class)
@ComponentScan(basePackages = "org.imsmooth.sandbox",
        excludeFilters = @ComponentScan.Filter(type = org.springframework.context.annotation.FilterType.ASSIGNABLE_TYPE,
                classes = SandboxConfiguration.class))
public class SandboxConfiguration {
}
