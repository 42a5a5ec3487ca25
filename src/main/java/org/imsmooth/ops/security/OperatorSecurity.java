package org.imsmooth.ops.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.Ordered;

/**
 * Who may use what. Operator paths ({@code /}, {@code /api/**}, {@code /actuator/**} with Hawtio)
 * need the operator's HTTP basic credential (a browser shows its login prompt). Open: the IM
 * callback (verified by its Sign in its endpoint), the old system's intake (shared secret checked in
 * its endpoint), the sandbox's IM stand-in ({@code /v4/**}, {@code /sandbox/**}, authenticated by
 * UserSig like the real IM) and the health probe (status only, no details).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OperatorProperties.class, SecurityLimits.class})
public class OperatorSecurity {

    static final String REALM = "IM migration operator";

    /**
     * The status page loads its script and style from this service only and is never framed by another
     * site. Hawtio (its own inline bootstrapping) is left out.
     */
    static final String STATUS_PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    /** Jolokia's access policy, handed to its agent servlet (Jolokia's Spring Boot support picks up Restrictor beans). */
    @Bean
    JolokiaAccessPolicy jolokiaAccessPolicy() {
        return new JolokiaAccessPolicy();
    }

    @Bean
    RefusalLog.Factory refusalLogs(SecurityLimits limits) {
        return new RefusalLog.Factory(limits.refusalLogInterval(), java.time.Clock.systemUTC());
    }

    /** First of all filters, on every path. */
    @Bean
    FilterRegistrationBean<NormalizedPathsOnly> normalizedPathsOnly() {
        FilterRegistrationBean<NormalizedPathsOnly> registration = new FilterRegistrationBean<>(new NormalizedPathsOnly());
        registration.setName("normalizedPathsOnly");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Ahead of every other filter but the path check, on the two open endpoints that take a body. */
    @Bean
    FilterRegistrationBean<BoundedRequestBodies> boundedRequestBodies(SecurityLimits limits, RefusalLog.Factory refusals) {
        FilterRegistrationBean<BoundedRequestBodies> registration = new FilterRegistrationBean<>(
                new BoundedRequestBodies(limits.maxRequestBody().toBytes(), refusals), new ServletRegistrationBean<?>[0]);
        registration.setName("boundedRequestBodies");
        registration.addUrlPatterns(BoundedRequestBodies.CALLBACK, "/intake/old-system/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** All configuration checks, before any other bean (so before the broker, Flyway, the demo, imports). */
    @Bean
    static StartupChecks startupChecks() {
        return new StartupChecks();
    }

    @Bean
    OperatorCredential operatorCredential(OperatorProperties properties, Environment environment) {
        return OperatorCredential.resolve(properties, StartupChecks.passwordOptional(environment));
    }

    @Bean
    UserDetailsService operatorUsers(OperatorCredential credential) {
        return new InMemoryUserDetailsManager(User.withUsername(credential.user())
                .password(credential.password()).roles("OPERATOR").build());
    }

    /**
     * The password is already in the process environment as plain text: hashing it again in memory
     * protects nothing and would cost a BCrypt round on every stateless request (the status page polls).
     * The comparison is constant-time.
     */
    @Bean
    PasswordEncoder operatorPasswordEncoder() {
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return raw.toString();
            }

            @Override
            public boolean matches(CharSequence raw, String stored) {
                return raw != null && stored != null && MessageDigest.isEqual(
                        raw.toString().getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    /**
     * Paths that authenticate themselves bypass Spring Security entirely: the sandbox's (IM's REST calls
     * carry the UserSig in the query string, and the security filter chain logs request URLs at DEBUG),
     * IM's callbacks (checked by SdkAppid and Sign) and the old system's intake (its own secret). Both
     * sync endpoints are answered while their caller waits, at hundreds of requests a second: the
     * operator filter chain had nothing to decide for them and cost CPU and latency on every one.
     */
    @Bean
    WebSecurityCustomizer selfAuthenticatingPathsOutsideOperatorSecurity() {
        return web -> web.ignoring().requestMatchers("/v4/**", "/sandbox/**", "/im/callback", "/intake/old-system/**");
    }

    @Bean
    SecurityFilterChain operatorFilterChain(HttpSecurity http, SecurityLimits limits, RefusalLog.Factory refusals) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .anyRequest().hasRole("OPERATOR"))
                .httpBasic(basic -> basic.realmName(REALM))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // stateless basic auth for curl and scripts; browsers are covered by CrossSiteRequestGuard
                .csrf(csrf -> csrf.disable())
                .addFilterBefore(new CrossSiteRequestGuard(), BasicAuthenticationFilter.class)
                .addFilterBefore(new LoginThrottle(limits.loginFailures(), limits.loginWindow(), java.time.Clock.systemUTC(), refusals),
                        BasicAuthenticationFilter.class)
                // Hawtio shows parts of itself in frames of its own origin
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                request -> !request.getRequestURI().startsWith(request.getContextPath() + "/actuator/hawtio"),
                                new StaticHeadersWriter("Content-Security-Policy", STATUS_PAGE_CSP))));
        return http.build();
    }
}
