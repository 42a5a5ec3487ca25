package org.imsmooth.sync.toold;

import java.util.List;

/** Writes the rows of one IM event into the old system, all or nothing, idempotently. */
public interface OldSystemWriter {

    /**
     * @param sourceId the event's IM id, for rejection reasons
     * @param writes   in order; the first is the event's main row
     * @return the old id of the main row (if the writer learns it) and whether it was there already
     */
    Outcome write(String sourceId, List<OldSystemWrite> writes);

    /** The next free old id for a write kind's main table (its next-id query), or null if not configured. */
    Object nextId(String kind);

    record Outcome(Object oldId, boolean alreadyWritten) {
    }
}
