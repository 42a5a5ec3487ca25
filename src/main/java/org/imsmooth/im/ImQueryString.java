package org.imsmooth.im;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * IM's common query string, in two parts: what is the same on every call and holds no secret
 * (sdkappid, identifier, contenttype), which may appear in an endpoint URI, and what is made per call
 * (the UserSig, a secret, and a fresh random), which is added to the request as it leaves and never
 * stored, logged or registered.
 */
public final class ImQueryString {

    private final ImProperties properties;
    private final AdminUserSig userSig;
    private final String fixedPart;

    public ImQueryString(ImProperties properties, AdminUserSig userSig) {
        this.properties = properties;
        this.userSig = userSig;
        this.fixedPart = "sdkappid=" + properties.sdkAppId()
                + "&identifier=" + encode(properties.admin())
                + "&contenttype=json";
    }

    /** {@code sdkappid=...&identifier=...&contenttype=json}: no secret. */
    public String fixedPart() {
        return fixedPart;
    }

    /**
     * {@code usersig=...&random=...}: the admin's UserSig (renewed at half-life) and a uint32 fresh per
     * call. The result carries a secret: append it to a request, never keep it.
     *
     * @throws IllegalStateException when no SecretKey is set
     */
    public String perCallPart() {
        long random = ThreadLocalRandom.current().nextLong(1L << 32);
        CallTimeTrace.sent(random);
        return "usersig=" + encode(userSig.get()) + "&random=" + random;
    }

    ImProperties properties() {
        return properties;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ImQueryString[" + fixedPart + "]";
    }
}
