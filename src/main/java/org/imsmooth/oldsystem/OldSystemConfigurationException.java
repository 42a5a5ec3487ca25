package org.imsmooth.oldsystem;

import org.springframework.boot.ExitCodeGenerator;

/** The old-system configuration cannot work (a missing mapping file, a query that does not run): the service does not start. */
public class OldSystemConfigurationException extends RuntimeException implements ExitCodeGenerator {

    public OldSystemConfigurationException(String message) {
        super(message);
    }

    /** A start that fails on configuration is "could not finish" (exit code 2), as the README's exit codes say. */
    @Override
    public int getExitCode() {
        return 2;
    }
}
