package org.imsmooth.ops.security;

/**
 * The service will not start with this configuration; the message is one sentence saying why and
 * what to set. Reported by {@link StartupRefusalFailureAnalyzer} without a stack trace.
 */
public class StartupRefusedException extends IllegalStateException {

    public StartupRefusedException(String message) {
        super(message);
    }
}
