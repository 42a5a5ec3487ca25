package org.imsmooth.ops.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's credential for the status page, the control API, actuator and Hawtio
 * ({@code OPS_USER} / {@code OPS_PASSWORD}). The password is never logged and has no production default.
 */
@ConfigurationProperties("ops")
public record OperatorProperties(String user, String password) {

    @Override
    public String toString() {
        return "OperatorProperties[user=" + user + ", password=" + (password == null || password.isEmpty() ? "unset" : "[set]") + "]";
    }
}
