package org.imsmooth.sync.toold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

import org.imsmooth.im.ImProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks that a callback comes from our IM app (reference 7): SdkAppid is ours and, when a callback
 * token is configured, Sign = lowercase hex SHA-256(token + RequestTime) with RequestTime at most
 * 60 s away from now (anti-replay). Reasons never contain the token or the Sign.
 */
@Component
public class CallbackAuthenticator {

    static final long MAX_SKEW_SECONDS = 60;

    private final long sdkAppId;
    private final String token;
    private final Clock clock;

    @Autowired
    public CallbackAuthenticator(ImProperties im) {
        this(im.sdkAppId(), im.callbackToken(), Clock.systemUTC());
    }

    CallbackAuthenticator(long sdkAppId, String token, Clock clock) {
        this.sdkAppId = sdkAppId;
        this.token = token;
        this.clock = clock;
    }

    /** Throws {@link CallbackRefusedException} (403) when the request is not from our app. */
    public void verify(String sdkAppIdParam, String sign, String requestTime) {
        if (sdkAppIdParam == null || !sdkAppIdParam.trim().equals(Long.toString(sdkAppId))) {
            throw new CallbackRefusedException(HttpStatus.FORBIDDEN, "SdkAppid does not match this service's SdkAppId");
        }
        if (token == null || token.isEmpty()) {
            return;
        }
        if (sign == null || sign.isBlank() || requestTime == null || requestTime.isBlank()) {
            throw new CallbackRefusedException(HttpStatus.FORBIDDEN, "callback authentication is on: Sign and RequestTime are required");
        }
        long time;
        try {
            time = Long.parseLong(requestTime.trim());
        } catch (NumberFormatException e) {
            throw new CallbackRefusedException(HttpStatus.FORBIDDEN, "RequestTime is not a Unix time in seconds");
        }
        long now = clock.millis() / 1000;
        // compared as bounds, not |now - time|: that difference overflows for times near Long.MIN/MAX_VALUE
        if (time < now - MAX_SKEW_SECONDS || time > now + MAX_SKEW_SECONDS) {
            String away;
            try {
                away = Math.abs(Math.subtractExact(now, time)) + " s";
            } catch (ArithmeticException overflow) {
                away = "over 2^63 s";
            }
            throw new CallbackRefusedException(HttpStatus.FORBIDDEN, "RequestTime is " + away + " away from now; at most "
                    + MAX_SKEW_SECONDS + " s is accepted (stale or replayed callback)");
        }
        byte[] expected = sign(token, time).getBytes(StandardCharsets.US_ASCII);
        byte[] given = sign.trim().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new CallbackRefusedException(HttpStatus.FORBIDDEN, "Sign does not match the configured callback token");
        }
    }

    static String sign(String token, long requestTime) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((token + requestTime).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
