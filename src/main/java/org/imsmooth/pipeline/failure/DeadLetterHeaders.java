package org.imsmooth.pipeline.failure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headers a dead-lettered message carries, so an operator browsing a DLQ in Hawtio sees why it
 * failed, which IM error code was returned, and which old-system record it came from.
 */
public final class DeadLetterHeaders {

    /** The old system's id of the record (set by the route that reads it). */
    public static final String SOURCE_ID = "ImSourceId";
    /** The data kind: an import stage (accounts, c2c-messages, ...) or a sync change's kind (c2c_message, ...). */
    public static final String SOURCE_KIND = "ImSourceKind";
    /** Human-readable failure reason. */
    public static final String REASON = "ImDeadLetterReason";
    /**
     * Tencent IM ErrorCode (or the HTTP status for transport failures); also on a record refused before the call
     * whose reason names the code IM would answer (AVChatRoom: 10007); absent for other validation rejections.
     */
    public static final String ERROR_CODE = "ImErrorCode";
    /** Exception class name of the failure. */
    public static final String EXCEPTION = "ImDeadLetterException";
    /** Route that failed. */
    public static final String FAILED_ROUTE = "ImFailedRoute";
    /** Broker deliveries of the work-queue message when it was dead-lettered (JMSXDeliveryCount). */
    public static final String DELIVERY_ATTEMPTS = "ImDeliveryAttempts";
    /** ISO-8601 time of dead-lettering. */
    public static final String FAILED_AT = "ImFailedAt";
    /** Where the message is sent: the work queue's {@code .DLQ}. */
    public static final String DEAD_LETTER_QUEUE = "ImDeadLetterQueue";

    /** "ErrorCode 70107" (an IM call's failure, also quoted in a dependent's reason) or a code in brackets: "(10007)". */
    private static final Pattern IM_CODE_IN_REASON = Pattern.compile("ErrorCode (\\d+)|\\((\\d{5})\\)");

    private static final String IMPORT_QUEUE_PREFIX = "im.import.";

    private DeadLetterHeaders() {
    }

    /** The import stage whose work queue this is ({@code im.import.<stage>}), or null for any other queue. */
    public static String importStageOf(String workQueue) {
        return workQueue != null && workQueue.startsWith(IMPORT_QUEUE_PREFIX) ? workQueue.substring(IMPORT_QUEUE_PREFIX.length()) : null;
    }

    /** The IM error code a dead-letter reason names, or null when it names none. */
    public static Integer imErrorCodeIn(String reason) {
        if (reason == null) {
            return null;
        }
        Matcher m = IM_CODE_IN_REASON.matcher(reason);
        return m.find() ? Integer.valueOf(m.group(1) != null ? m.group(1) : m.group(2)) : null;
    }
}
