package org.imsmooth.oldsystem;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** One clear line for an old-system configuration error, instead of a stack trace. Registered in META-INF/spring.factories. */
public class OldSystemConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<OldSystemConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, OldSystemConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the old-system mapping (README \"Mapping your old system\") and start the service again.", cause);
    }
}
