package org.imsmooth.pipeline;

import org.imsmooth.state.IdMap;

/**
 * Which work-queue message a worker is processing: its JMS message id and its batch id. A record the
 * id map holds as rejected by <em>another</em> message is already in its DLQ (or will be, when that
 * message is redelivered after a crash), so a re-read page skips it rather than dead-letter it twice;
 * the message that rejected it (a redelivery after a rollback) and a message taken back from a DLQ
 * (a replay or Hawtio's {@code retryMessages()}, batch id {@code dlq-...}) process it again.
 *
 * @param messageId the JMS message id, or null outside a queue
 * @param batchId   the {@code ImBatchId} header, or null
 */
public record WorkDelivery(String messageId, String batchId) {

    /** Outside a work queue (a test calling a worker, a replay tool): every rejected record is processed again. */
    public static final WorkDelivery NONE = new WorkDelivery(null, null);

    /** Prefix of the batch id a dead letter carries, so a retried one is not mistaken for the batch already processed. */
    public static final String DEAD_LETTER_BATCH_PREFIX = "dlq-";

    /** The message came back from a DLQ: its records go through the worker again. */
    public boolean fromDeadLetterQueue() {
        return batchId != null && batchId.startsWith(DEAD_LETTER_BATCH_PREFIX);
    }

    /** Whether a record with this id map row is left alone: imported, or dead-lettered by another message. */
    public boolean skips(IdMap.Outcome row) {
        if (row == null) {
            return false;
        }
        if (IdMap.DONE.equals(row.state())) {
            return true;
        }
        return (IdMap.REJECTED.equals(row.state()) || IdMap.FAILED.equals(row.state())) && messageId != null && !fromDeadLetterQueue()
                && row.deadLetterRef() != null && !row.deadLetterRef().equals(messageId);
    }
}
