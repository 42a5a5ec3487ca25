package org.imsmooth.pipeline.failure;

/**
 * One record of a batch that must be dead-lettered on its own (invalid before any call, or listed as
 * failed by IM while the rest of the batch succeeded).
 *
 * @param sourceId  the old system's id
 * @param errorCode IM's per-item code, or null for a validation rejection
 * @param reason    why, in words
 * @param body      the record as a one-record batch in the work queue's format, so a DLQ retry works
 */
public record DeadLetterItem(String sourceId, Integer errorCode, String reason, String body) {
}
