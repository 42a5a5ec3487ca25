package org.imsmooth.im;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.imsmooth.im.camel.CamelImTransportConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import java.time.Clock;

/**
 * The IM client beans. Facade bean names are what YAML routes reference, e.g.
 * {@code - bean: {ref: imAccounts, method: multiaccountImport}}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImProperties.class)
@Import(CamelImTransportConfiguration.class)
public class ImClientConfiguration {

    @Bean
    public ImEndpoint imEndpoint(ImProperties properties, Environment environment) {
        return new ImEndpoint(properties, environment);
    }

    @Bean
    public AdminUserSig imAdminUserSig(ImProperties properties) {
        return new AdminUserSig(properties, Clock.systemUTC());
    }

    @Bean
    public ImQueryString imQueryString(ImProperties properties, AdminUserSig imAdminUserSig) {
        return new ImQueryString(properties, imAdminUserSig);
    }

    /** {@code im.call-trace-file}: a diagnostic CSV of every call's pacing and send times (off by default). */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "im.call-trace-file")
    public CallTimeTrace imCallTimeTrace(Environment environment) throws java.io.IOException {
        return CallTimeTrace.start(java.nio.file.Path.of(environment.getRequiredProperty("im.call-trace-file")));
    }

    @Bean
    public ImTransport imTransport(ImProperties properties, ImEndpoint imEndpoint, AdminUserSig imAdminUserSig,
                                   ImHttp imHttp, ObjectProvider<LoggingSystem> loggingSystem, ObjectProvider<MeterRegistry> meterRegistry,
                                   ObjectProvider<RateLimitRetry> rateLimitRetry) {
        HttpClientLogGuard.apply(loggingSystem.getIfAvailable());
        // the pacer (pipeline) gives a refused call a new slot; the client itself knows no pipeline
        return new ImTransport(properties, imEndpoint, imAdminUserSig, imHttp,
                meterRegistry.getIfAvailable(io.micrometer.core.instrument.composite.CompositeMeterRegistry::new),
                rateLimitRetry.getIfAvailable(() -> RateLimitRetry.NONE));
    }

    @Bean
    public ImAccounts imAccounts(ImTransport imTransport) {
        return new ImAccounts(imTransport);
    }

    @Bean
    public ImProfiles imProfiles(ImTransport imTransport) {
        return new ImProfiles(imTransport);
    }

    @Bean
    public ImFriends imFriends(ImTransport imTransport) {
        return new ImFriends(imTransport);
    }

    @Bean
    public ImC2cMessages imC2cMessages(ImTransport imTransport) {
        return new ImC2cMessages(imTransport);
    }

    @Bean
    public ImGroupImport imGroupImport(ImTransport imTransport) {
        return new ImGroupImport(imTransport);
    }

    @Bean
    public ImGroupLive imGroupLive(ImTransport imTransport) {
        return new ImGroupLive(imTransport);
    }

    @Bean
    public ImGroupReads imGroupReads(ImTransport imTransport) {
        return new ImGroupReads(imTransport);
    }
}
