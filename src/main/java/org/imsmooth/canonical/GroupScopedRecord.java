package org.imsmooth.canonical;

/** A record that belongs to one group: batched and ordered per group. */
public interface GroupScopedRecord extends OrderedRecord {

    /** The old system's group id. */
    String groupId();

    @Override
    default String orderKey() {
        return groupId();
    }
}
