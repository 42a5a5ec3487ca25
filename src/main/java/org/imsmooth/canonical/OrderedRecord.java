package org.imsmooth.canonical;

/** A record whose order matters within a key (a conversation, a user's friend list, a group). */
public interface OrderedRecord extends CanonicalRecord {

    /** The key within which records keep the old system's order. */
    String orderKey();
}
