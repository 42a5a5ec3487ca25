package org.imsmooth.im;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.env.MockEnvironment;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImEndpointTest {

    static ImProperties props(String region, String baseUrl) {
        return new ImProperties(region, baseUrl, 1400000000L, "administrator", "k", null,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofDays(7));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "china, https://console.tim.qq.com",
            "singapore, https://adminapisgp.im.qcloud.com",
            "seoul, https://adminapikr.im.qcloud.com",
            "tokyo, https://adminapijpn.im.qcloud.com",
            "frankfurt, https://adminapiger.im.qcloud.com",
            "mumbai, https://adminapiind.im.qcloud.com",
            "silicon-valley, https://adminapiusa.im.qcloud.com",
            "SILICON_VALLEY, https://adminapiusa.im.qcloud.com",
            "usa, https://adminapiusa.im.qcloud.com",
            "jakarta, https://adminapiidn.im.qcloud.com",
            "riyadh, https://adminapiksa.im.qcloud.com"})
    void regionPicksItsDomain(String region, String expected) {
        assertThat(new ImEndpoint(props(region, null), new MockEnvironment()).baseUri()).hasToString(expected);
    }

    @Test
    void explicitBaseUrlWinsOverRegion() {
        assertThat(new ImEndpoint(props("china", "https://adminapi.my-imcloud.com/"), new MockEnvironment()).baseUri())
                .hasToString("https://adminapi.my-imcloud.com");
        // application.yml maps an unset IM_BASE_URL to "": that means "not set".
        assertThat(new ImEndpoint(props("singapore", " "), new MockEnvironment()).baseUri())
                .hasToString("https://adminapisgp.im.qcloud.com");
    }

    @Test
    void unknownRegionFailsAtStartup() {
        assertThatThrownBy(() -> new ImEndpoint(props("atlantis", null), new MockEnvironment()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("atlantis").hasMessageContaining("im.base-url");
    }

    @Test
    void sandboxPortIsResolvedLazilyFromTheRunningServer() {
        MockEnvironment env = new MockEnvironment().withProperty("server.port", "0");
        ImEndpoint endpoint = new ImEndpoint(props("sandbox", null), env); // created before the web server starts

        assertThatThrownBy(endpoint::baseUri).isInstanceOf(IllegalStateException.class); // port unknown: not cached
        env.setProperty("local.server.port", "43517"); // what Boot sets once the server listens
        assertThat(endpoint.baseUri()).hasToString("http://127.0.0.1:43517");
        env.setProperty("local.server.port", "1");
        assertThat(endpoint.baseUri()).hasToString("http://127.0.0.1:43517"); // resolved once
    }

    @Test
    void sandboxFallsBackToServerPortThen8080() {
        assertThat(new ImEndpoint(props("sandbox", null), new MockEnvironment().withProperty("server.port", "9090")).baseUri())
                .hasToString("http://127.0.0.1:9090");
        assertThat(new ImEndpoint(props(null, null), new MockEnvironment()).baseUri())
                .hasToString("http://127.0.0.1:8080");
    }

    @Test
    void propertiesBindWithDefaultsAndMaskSecrets() {
        ImProperties p = new Binder(new MapConfigurationPropertySource(Map.of(
                "im.secret-key", "s3cr3t-key-value", "im.callback-token", "cb-t0ken-value", "im.base-url", "")))
                .bind("im", ImProperties.class).get();
        assertThat(p.region()).isEqualTo("sandbox");
        assertThat(p.sdkAppId()).isEqualTo(1400000000L);
        assertThat(p.admin()).isEqualTo("administrator");
        assertThat(p.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.usersigTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(p.toString()).doesNotContain("s3cr3t-key-value", "cb-t0ken-value").contains("secretKey=******");
    }
}
