package org.imsmooth.oldsystem;

/** The old-system configuration cannot work (a missing mapping file, a query that does not run): the service does not start. */
public class OldSystemConfigurationException extends RuntimeException {

    public OldSystemConfigurationException(String message) {
        super(message);
    }
}
