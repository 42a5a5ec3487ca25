package org.imsmooth.sandbox.domain;

/** Who caused an event, as callbacks report it: the operator, the platform, and the caller's IP. */
public record Actor(String operator, String platform, String clientIp) {

    /** A REST call by the admin in the URL. */
    public static Actor rest(String identifier, String clientIp) {
        return new Actor(identifier, "RESTAPI", clientIp);
    }
}
