package org.imsmooth.im;

import java.time.Clock;

/**
 * The admin's UserSig, generated from the SecretKey and reused until half its validity has passed,
 * so a call never goes out with a sig about to expire (70001) and the HMAC is not recomputed per call.
 */
public class AdminUserSig {

    private final ImProperties properties;
    private final Clock clock;
    private String current;
    private long renewAtSeconds;

    public AdminUserSig(ImProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** A valid UserSig for {@code im.admin}; synchronized because Camel calls from many threads. */
    public synchronized String get() {
        long now = clock.instant().getEpochSecond();
        if (current == null || now >= renewAtSeconds) {
            String key = properties.secretKey();
            if (key == null || key.isBlank()) {
                throw new IllegalStateException("im.secret-key is not set");
            }
            long ttl = properties.usersigTtl().toSeconds();
            current = UserSigV2.generate(properties.sdkAppId(), key, properties.admin(), ttl, now);
            renewAtSeconds = now + ttl / 2;
        }
        return current;
    }

    /** The sig currently handed out, or null; lets the transport scrub it from text it did not write. */
    synchronized String peek() {
        return current;
    }

    @Override
    public String toString() {
        return "AdminUserSig[admin=" + properties.admin() + "]";
    }
}
