package org.imsmooth.ops.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;

/**
 * Requests the container hands to a servlet that authenticates its own callers (the sandbox's
 * {@code /v4/*}: UserSig; {@code /im/callback}: SdkAppid and Sign) skip Spring Security's filter
 * altogether. {@code web.ignoring()} alone still ran, on every such request, Spring Security's
 * firewall and its Spring MVC handler-mapping cache filter (a lookup through every handler mapping
 * for a request MVC never sees): about a tenth of the service's CPU during the import. The decision
 * is made on the servlet the container mapped the request to, after its path normalization, so no
 * crafted path reaches an operator endpoint without the operator's credential. Every other request
 * goes through the security filter exactly as Spring Boot registers it (same order, same dispatch types).
 */
@Configuration(proxyBeanMethods = false)
public class SelfAuthenticatingServlets {

    /**
     * Names their registrations give the IM sandbox's REST servlet and IM's callback servlet (names,
     * not classes: operator security knows neither package).
     */
    static final Set<String> NAMES = Set.of("imSandboxV4Api", "imCallback");

    private static final String BOOT_REGISTRATION = "securityFilterChainRegistration";

    /** Spring Boot's own registration of the security filter stays defined but is not registered. */
    @Bean
    static BeanPostProcessor bootSecurityFilterRegistrationReplaced() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) throws BeansException {
                if (BOOT_REGISTRATION.equals(name) && bean instanceof DelegatingFilterProxyRegistrationBean registration) {
                    registration.setEnabled(false);
                }
                return bean;
            }
        };
    }

    @Bean
    FilterRegistrationBean<Filter> securityFilterOutsideSelfAuthenticatingServlets(SecurityProperties security,
                                                                                  WebApplicationContext context) {
        DelegatingFilterProxy securityFilter = new DelegatingFilterProxy(
                AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME, context) {
            @Override
            protected void initFilterBean() {
                // resolved on first use, as Spring Boot's registration does: the filter bean may not exist yet
            }
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Bypass(securityFilter));
        registration.setName("securityFilterOutsideSelfAuthenticatingServlets");
        registration.setOrder(security.getFilter().getOrder());
        registration.setDispatcherTypes(security.getFilter().getDispatcherTypes().stream()
                .map(type -> jakarta.servlet.DispatcherType.valueOf(type.name()))
                .collect(java.util.stream.Collectors.toCollection(() -> java.util.EnumSet.noneOf(jakarta.servlet.DispatcherType.class))));
        return registration;
    }

    /** Passes requests mapped to a self-authenticating servlet straight on; the rest through security. */
    static final class Bypass implements Filter {
        private final Filter security;

        Bypass(Filter security) {
            this.security = security;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (request instanceof HttpServletRequest http && NAMES.contains(http.getHttpServletMapping().getServletName())) {
                chain.doFilter(request, response);
            } else {
                security.doFilter(request, response, chain);
            }
        }

        @Override
        public void destroy() {
            security.destroy();
        }
    }
}
