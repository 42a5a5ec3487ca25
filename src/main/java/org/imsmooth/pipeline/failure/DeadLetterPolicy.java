package org.imsmooth.pipeline.failure;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsEndpoint;
import org.imsmooth.broker.BrokerProperties;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImCallException;
import org.imsmooth.im.ImErrorClassifier;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.pipeline.HandOffMarkers;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Decisions and headers of the shared error handling ({@code routes/error-handling.camel.yaml}).
 * Transient failures are waited out (retried in place, {@link TransientWaits}); other failures are
 * rolled back to the broker, which redelivers with a growing delay; on the broker's last delivery,
 * and at once for permanent failures, the message goes to its work queue's DLQ carrying the reason,
 * the IM error code and the source id.
 */
@Component("deadLetters")
public class DeadLetterPolicy {

    static final String DELIVERY_COUNT = "JMSXDeliveryCount";
    /** Header with the id of a batch message, used by the idempotent consumer of work queues. */
    public static final String BATCH_ID = "ImBatchId";
    /** Artemis' own "original address" properties: they make the JMX {@code retryMessages} operation work. */
    public static final String ARTEMIS_ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    public static final String ARTEMIS_ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    static final String FALLBACK_DEAD_LETTER_QUEUE = "DLQ";
    /** Defence in depth: no header that looks like a credential ever lands on a queue. */
    private static final Pattern SECRET_HEADER = Pattern.compile(
            ".*(usersig|secret|token|password|passwd|sign|authorization|cookie).*");

    private static final String IMPORT_QUEUE_PREFIX = "im.import.";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("migration.dead-letters");

    private final BrokerProperties broker;
    private final IdMap idMap;
    private final StageProgress progress;
    private final ImportMode mode;
    private final ObjectMapper json = new ObjectMapper();

    public DeadLetterPolicy(BrokerProperties broker, IdMap idMap, StageProgress progress, ImportMode mode) {
        this.broker = broker;
        this.idMap = idMap;
        this.progress = progress;
        this.mode = mode;
    }

    /**
     * True when the broker will not redeliver this message again. An exchange that did not come from
     * the broker (an old-system reader, a timer) is never a last delivery: its error goes back to
     * whoever started it (the orchestrator marks the stage failed and retries), instead of being
     * dead-lettered as if it were a record while its caller took the success path.
     */
    public boolean isLastDelivery(Exchange exchange) {
        if (!(exchange.getFromEndpoint() instanceof JmsEndpoint)) {
            return false;
        }
        Integer count = exchange.getMessage().getHeader(DELIVERY_COUNT, Integer.class);
        if (count == null) {
            return false;
        }
        String queue = workQueueOf(exchange.getFromEndpoint());
        return count >= (queue == null ? broker.maxDeliveryAttempts() : broker.maxDeliveryAttemptsOf(queue));
    }

    /** Sets the dead-letter headers from the caught exception; the body stays the original message. */
    public void describe(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        var message = exchange.getMessage();
        String queueMessageId = message.getHeader("JMSMessageID", String.class);
        // a hand-off marker's headers are its content: kept, so the DLQ shows what was unreadable and a retry can work it
        message.removeHeaders("*", DeadLetterHeaders.SOURCE_ID, DeadLetterHeaders.SOURCE_KIND, "JMSXGroupID", BATCH_ID,
                HandOffMarkers.MARKER, HandOffMarkers.CONVERSATIONS);
        message.getHeaders().keySet().removeIf(h -> SECRET_HEADER.matcher(h.toLowerCase(Locale.ROOT)).matches());

        if (failure instanceof RejectedRecordException rejected && rejected.sourceId() != null
                && message.getHeader(DeadLetterHeaders.SOURCE_ID) == null) {
            message.setHeader(DeadLetterHeaders.SOURCE_ID, rejected.sourceId());
        }
        Integer codeInReason = DeadLetterHeaders.imErrorCodeIn(reasonOf(failure));
        if (failure instanceof ImCallException im) {
            message.setHeader(DeadLetterHeaders.ERROR_CODE, im.errorCode());
        } else if (codeInReason != null) {
            message.setHeader(DeadLetterHeaders.ERROR_CODE, codeInReason);
        }
        if (message.getHeader(BATCH_ID) != null) {
            // a fresh batch id, so a retried batch is not mistaken for the one already processed
            message.setHeader(BATCH_ID, "dlq-" + UUID.randomUUID());
        }
        if (!(message.getBody() instanceof String) && !(message.getBody() instanceof byte[]) && message.getBody() != null) {
            message.setBody(describeBody(message.getBody()));
        }
        message.setHeader(DeadLetterHeaders.REASON, reasonOf(failure));
        message.setHeader(DeadLetterHeaders.EXCEPTION, failure == null ? "unknown" : failure.getClass().getName());
        message.setHeader(DeadLetterHeaders.FAILED_ROUTE, exchange.getFromRouteId());
        message.setHeader(DeadLetterHeaders.FAILED_AT, Instant.now().toString());
        Integer deliveries = exchange.getIn().getHeader(DELIVERY_COUNT, Integer.class);
        if (deliveries != null) {
            message.setHeader(DeadLetterHeaders.DELIVERY_ATTEMPTS, deliveries);
        }
        String workQueue = exchange.getProperty(DeadLetterItemsRoute.WORK_QUEUE, String.class);
        if (workQueue == null) {
            workQueue = workQueueOf(exchange.getFromEndpoint());
        }
        if (message.getHeader(DeadLetterHeaders.SOURCE_KIND) == null && DeadLetterHeaders.importStageOf(workQueue) != null) {
            message.setHeader(DeadLetterHeaders.SOURCE_KIND, DeadLetterHeaders.importStageOf(workQueue));
        }
        recordBatchRejected(workQueue, message.getBody(String.class), reasonOf(failure), isInvalidData(failure), queueMessageId);
        LOG.warn("{} from {}: {}", workQueue == null ? FALLBACK_DEAD_LETTER_QUEUE : BrokerProperties.deadLetterQueueOf(workQueue),
                exchange.getFromRouteId(), reasonOf(failure));
        if (workQueue != null) {
            message.setHeader(ARTEMIS_ORIGINAL_ADDRESS, workQueue);
            message.setHeader(ARTEMIS_ORIGINAL_QUEUE, workQueue);
            message.setHeader(DeadLetterHeaders.DEAD_LETTER_QUEUE, BrokerProperties.deadLetterQueueOf(workQueue));
        } else {
            message.setHeader(DeadLetterHeaders.DEAD_LETTER_QUEUE, FALLBACK_DEAD_LETTER_QUEUE);
        }
    }

    /**
     * A whole import batch that is dead-lettered is recorded record by record in the id map (and the
     * stage's counters), so reconciliation lists it as dead-lettered with its reason, not as lost.
     * A DLQ retry processes it again: only "done" records are skipped. A record counts once among the
     * dead letters, however often it is dead-lettered (a restart, a retry from the DLQ).
     */
    private void recordBatchRejected(String workQueue, String body, String reason, boolean invalidData, String queueMessageId) {
        if (workQueue == null || !workQueue.startsWith(IMPORT_QUEUE_PREFIX) || body == null || !body.startsWith("[")) {
            return;
        }
        String stage = workQueue.substring(IMPORT_QUEUE_PREFIX.length());
        try {
            int count = 0;
            for (com.fasterxml.jackson.databind.JsonNode record : json.readTree(body)) {
                String sourceId = record.path("sourceId").asText(null);
                if (sourceId != null && (mode.dryRun() || (invalidData
                        ? idMap.recordRejected(stage, sourceId, "old", reason, queueMessageId)
                        : idMap.recordFailed(stage, sourceId, "old", reason, queueMessageId)))) {
                    count++;
                }
            }
            progress.deadLettered(stage, count);
        } catch (JsonProcessingException notABatch) {
            // the body is not a batch of records: it is dead-lettered as it is
        }
    }

    /**
     * Whether a dead-lettered batch is invalid data (the reconciliation may balance with it): rejected
     * before the call, or refused by IM for what it carried. An unexpected error, or IM refusing every
     * call (credentials, SDKAppID, an answer that is not IM's), is not.
     */
    static boolean isInvalidData(Throwable failure) {
        if (failure instanceof RejectedRecordException) {
            return true;
        }
        return failure instanceof ImPermanentException refused && !ImErrorClassifier.refusesEveryCall(refused.errorCode());
    }

    /** Hawtio shows text bodies; anything else is written as JSON. */
    private String describeBody(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return String.valueOf(body);
        }
    }

    private static String reasonOf(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String text = failure.getMessage();
        return text == null || text.isBlank() ? failure.getClass().getSimpleName() : text;
    }

    private static String workQueueOf(Endpoint from) {
        return from instanceof JmsEndpoint jms && !jms.isPubSubDomain() ? jms.getDestinationName() : null;
    }
}
