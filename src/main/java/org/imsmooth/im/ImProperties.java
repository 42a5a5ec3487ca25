package org.imsmooth.im;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The {@code im:} settings. Secrets (secret-key, callback-token) are masked in {@link #toString()}
 * because Boot and Actuator print bound properties objects.
 *
 * @param region         a Tencent region ({@link ImRegion}) or {@code sandbox}, the built-in sandbox on this service's port
 * @param baseUrl        explicit base URL; wins over the region when set (e.g. a backup domain or an external sandbox)
 * @param sdkAppId       the SDKAppID
 * @param admin          the App admin account used as {@code identifier}
 * @param secretKey      the SecretKey the admin UserSig is generated from
 * @param callbackToken  token of IM's callback authentication (checked by the callback receiver)
 * @param requestTimeout whole-request timeout; above IM's own 3 s backend timeout
 * @param connectTimeout TCP/TLS connect timeout
 * @param usersigTtl     validity of the generated admin UserSig; it is renewed at half-life
 */
@ConfigurationProperties("im")
public record ImProperties(
        @DefaultValue("sandbox") String region,
        String baseUrl,
        @DefaultValue("1400000000") long sdkAppId,
        @DefaultValue("administrator") String admin,
        String secretKey,
        String callbackToken,
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("7d") Duration usersigTtl) {

    public ImProperties {
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("im.request-timeout must be positive");
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("im.connect-timeout must be positive");
        }
        // IM rejects a UserSig it considers too short-lived (doc advises >= 24 h); one minute is the floor here.
        if (usersigTtl == null || usersigTtl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("im.usersig-ttl must be at least 1 minute");
        }
    }

    @Override
    public String toString() {
        return "ImProperties[region=" + region + ", baseUrl=" + baseUrl + ", sdkAppId=" + sdkAppId
                + ", admin=" + admin + ", secretKey=" + mask(secretKey) + ", callbackToken=" + mask(callbackToken)
                + ", requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout
                + ", usersigTtl=" + usersigTtl + "]";
    }

    private static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(unset)" : "******";
    }
}
