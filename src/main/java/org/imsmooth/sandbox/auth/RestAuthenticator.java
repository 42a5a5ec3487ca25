package org.imsmooth.sandbox.auth;

import java.time.Clock;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.springframework.stereotype.Component;

/**
 * Checks the REST query string the way the service does, in a fixed order, and names the public
 * error code of the first failure. Never logs or echoes the UserSig.
 */
@Component
@ConditionalOnSandbox
public class RestAuthenticator {

    /** A failed check: the public error code and its ErrorInfo text. */
    public record Failure(int code, String info) {
    }

    private static final long UINT32_MAX = 4294967295L;

    private final SandboxProperties props;
    private final UserSigVerifier verifier;
    private final Clock clock;

    public RestAuthenticator(SandboxProperties props) {
        this.props = props;
        this.verifier = new UserSigVerifier(props.getSecretKey());
        this.clock = Clock.systemUTC();
    }

    /** @return null when the call may proceed */
    public Failure check(String sdkAppId, String identifier, String userSig, String random, String contentType) {
        if (sdkAppId == null || sdkAppId.isEmpty()) {
            return new Failure(60012, "sdkappid is missing");
        }
        long appId;
        try {
            appId = Long.parseLong(sdkAppId);
        } catch (NumberFormatException e) {
            return new Failure(60006, "SDKAppID invalid");
        }
        if (appId != props.getSdkAppId()) {
            // 70020 (not found) rather than 60006 (invalid): the value is well-formed, just not ours.
            return new Failure(70020, "SDKAppID not found");
        }
        if (identifier == null || !identifier.equals(props.getAdmin())) {
            return new Failure(60010, "admin permission required: identifier is not the App admin");
        }
        UserSigVerifier.Result r = verifier.verify(userSig, appId, identifier, clock.instant().getEpochSecond());
        if (r != UserSigVerifier.Result.VALID) {
            return new Failure(r.errorCode(), switch (r) {
                case PARSE_FAILED -> "UserSig parse failed";
                case SDKAPPID_MISMATCH -> "SDKAppID in UserSig does not match the request";
                case IDENTIFIER_MISMATCH -> "identifier in UserSig does not match the request";
                case EXPIRED -> "UserSig expired";
                default -> "UserSig verify failed";
            });
        }
        if (!isUint32(random)) {
            return new Failure(60002, "random must be a 32-bit unsigned integer");
        }
        if (!"json".equals(contentType)) {
            return new Failure(60002, "contenttype must be json");
        }
        return null;
    }

    private static boolean isUint32(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(s) <= UINT32_MAX;
    }
}
