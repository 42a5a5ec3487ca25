package org.imsmooth.ops.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a missing operator password into Spring Boot's short "APPLICATION FAILED TO START" report
 * (description and action) instead of a stack trace. Registered in META-INF/spring.factories.
 */
public class OperatorPasswordFailureAnalyzer extends AbstractFailureAnalyzer<OperatorPasswordMissingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, OperatorPasswordMissingException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set the environment variable OPS_PASSWORD (and optionally OPS_USER) to the operator credential, "
                        + "or run the demo with the built-in IM sandbox (SANDBOX_ENABLED=true).", cause);
    }
}
