package org.imsmooth.ops.security;

import org.springframework.boot.ExitCodeGenerator;

/** Thrown at startup when a production service (sandbox off) has no operator password. */
public class OperatorPasswordMissingException extends IllegalStateException implements ExitCodeGenerator {

    public OperatorPasswordMissingException(String message) {
        super(message);
    }

    /** A start that fails on configuration is "could not finish" (exit code 2), as the README's exit codes say. */
    @Override
    public int getExitCode() {
        return 2;
    }
}
