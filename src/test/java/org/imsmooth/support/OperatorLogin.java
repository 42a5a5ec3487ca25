package org.imsmooth.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.imsmooth.ops.security.OperatorCredential;

/**
 * The operator credential tests use to call {@code /api/**} and {@code /actuator/**}: the documented
 * demo credential, which the service accepts only while the IM sandbox is on (as in every test context).
 */
public final class OperatorLogin {

    public static final String USER = "operator";
    public static final String PASSWORD = OperatorCredential.DEMO_PASSWORD;

    private OperatorLogin() {
    }

    /** The value of an {@code Authorization} header for HTTP basic. */
    public static String basic() {
        return basic(USER, PASSWORD);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
