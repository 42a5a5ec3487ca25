package org.imsmooth.ops.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which operator password is in force. With a production IM (any IM but the built-in sandbox,
 * {@link ImTarget}) or the sandbox off a password must be configured, or the service refuses to start;
 * in the demo (the built-in sandbox, on) an unset password falls back to the documented demo
 * credential, so the README's one command just works.
 */
public final class OperatorCredential {

    /** Documented in README "Operating the service"; only ever accepted while the IM sandbox is on. */
    public static final String DEMO_PASSWORD = "demo-operator";
    static final String DEFAULT_USER = "operator";

    private static final Logger LOG = LoggerFactory.getLogger(OperatorCredential.class);

    private final String user;
    private final String password;
    private final boolean demo;

    private OperatorCredential(String user, String password, boolean demo) {
        this.user = user;
        this.password = password;
        this.demo = demo;
    }

    /** @param demoAllowed the built-in IM sandbox is the IM target and is on */
    public static OperatorCredential resolve(OperatorProperties properties, boolean demoAllowed) {
        String user = properties.user() == null || properties.user().isBlank() ? DEFAULT_USER : properties.user().trim();
        String password = properties.password();
        if (password != null && !password.isEmpty()) {
            return new OperatorCredential(user, password, false);
        }
        if (!demoAllowed) {
            throw new OperatorPasswordMissingException("No operator password is set (OPS_PASSWORD / ops.password) and IM is not the "
                    + "built-in sandbox (im.base-url or a Tencent region is set, or sandbox.enabled=false): the status page, control API, actuator and Hawtio would be "
                    + "open or guarded by a public demo password. Set OPS_PASSWORD (and optionally OPS_USER) and start again.");
        }
        LOG.warn("Operator console uses the documented demo credential (user '{}'): the IM sandbox is on and OPS_PASSWORD "
                + "is not set. Set OPS_PASSWORD before exposing this service.", user);
        return new OperatorCredential(user, DEMO_PASSWORD, true);
    }

    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    public boolean demo() {
        return demo;
    }

    @Override
    public String toString() {
        return "OperatorCredential[user=" + user + (demo ? ", demo" : "") + "]";
    }
}
