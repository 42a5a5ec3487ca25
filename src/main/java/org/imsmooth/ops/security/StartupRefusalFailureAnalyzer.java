package org.imsmooth.ops.security;

import org.imsmooth.oldsystem.demo.DemoDatabase;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's short "APPLICATION FAILED TO START" report for a refused configuration. */
public class StartupRefusalFailureAnalyzer extends AbstractFailureAnalyzer<StartupRefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupRefusedException cause) {
        return new FailureAnalysis(cause.getMessage(), "Change the configuration named above and start again "
                + "(README \"Security model\", docs/security.md).", cause);
    }

    /** The demo's refusal, thrown where the demo generator finds it. */
    public static class Demo extends AbstractFailureAnalyzer<DemoDatabase.DemoRefusedException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, DemoDatabase.DemoRefusedException cause) {
            return new FailureAnalysis(cause.getMessage(), "Unset OLD_SYSTEM_DEMO to migrate from this database, "
                    + "or point OLD_SYSTEM_DB_URL at an empty database for the demo.", cause);
        }
    }
}
