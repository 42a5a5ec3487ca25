package org.imsmooth.ops.security;

import org.springframework.boot.ExitCodeGenerator;

/**
 * The service will not start with this configuration; the message is one sentence saying why and
 * what to set. Reported by {@link StartupRefusalFailureAnalyzer} without a stack trace.
 */
public class StartupRefusedException extends IllegalStateException implements ExitCodeGenerator {

    public StartupRefusedException(String message) {
        super(message);
    }

    /** A start that fails on configuration is "could not finish" (exit code 2), as the README's exit codes say. */
    @Override
    public int getExitCode() {
        return 2;
    }
}
