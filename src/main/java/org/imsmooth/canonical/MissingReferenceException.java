package org.imsmooth.canonical;

/**
 * A record rejected because a record it refers to (its group, owner, sender, member or user) was not
 * imported when it was worked, and was not dead-lettered either: it names that record, so the id map
 * can keep it with the dead letter. If the awaited record reaches IM later (a stage declared done too
 * early), the dead letter was the service's fault, and the reconciliation says so.
 */
public class MissingReferenceException extends RejectedRecordException {

    private final String awaitedKind;
    private final String awaitedOldId;

    public MissingReferenceException(String sourceId, String reason, String awaitedKind, String awaitedOldId) {
        super(sourceId, reason);
        this.awaitedKind = awaitedKind;
        this.awaitedOldId = awaitedOldId;
    }

    /** The import stage (id map kind) of the record that was not imported: accounts, groups. */
    public String awaitedKind() {
        return awaitedKind;
    }

    /** Its old id. */
    public String awaitedOldId() {
        return awaitedOldId;
    }
}
