package org.imsmooth.canonical;

/** A record read from the old system, identified by its old-system id. */
public interface CanonicalRecord {

    String sourceId();
}
