package org.imsmooth.canonical;

/**
 * A record that can never be valid in IM (UserID over 32 bytes, empty body, future timestamp...).
 * Thrown before any IM call; the shared error handling dead-letters it at once, with this reason.
 */
public class RejectedRecordException extends RuntimeException {

    private final String sourceId;

    public RejectedRecordException(String sourceId, String reason) {
        super(reason);
        this.sourceId = sourceId;
    }

    public String sourceId() {
        return sourceId;
    }
}
