package org.imsmooth.ops.security;

/** Thrown at startup when a production service (sandbox off) has no operator password. */
public class OperatorPasswordMissingException extends IllegalStateException {

    public OperatorPasswordMissingException(String message) {
        super(message);
    }
}
