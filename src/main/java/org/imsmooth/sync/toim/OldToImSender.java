package org.imsmooth.sync.toim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImPermanentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The worker of queue im.sync.old-to-im (routes/sync-old-to-im-send.camel.yaml): one change at a time per
 * conversation. Skips what the id map knows, holds what must wait for the import, sends the rest
 * and records it. Invalid changes and IM's permanent refusals are recorded as rejected and thrown
 * to the shared error handling (DLQ with reason, IM code and source id); retryable failures roll
 * back and the broker redelivers them.
 */
@Component("oldToImSender")
public class OldToImSender {

    private static final Logger LOG = LoggerFactory.getLogger(OldToImSender.class);
    static final String DIRECTION = "old-to-im";

    private final ChangeMessages messages;
    private final ChangeRouting routing;
    private final SentChanges sent;
    private final HeldChanges held;
    private final C2cMessageSender c2c;
    private final GroupMessageSender groupMessages;
    private final GroupChangeSender groupChanges;
    private final SyncLatency latency;
    private final SyncStages stages;
    private final MeterRegistry metrics;
    private final Map<String, Counter> skips = new ConcurrentHashMap<>();

    public OldToImSender(ChangeMessages messages, ChangeRouting routing, SentChanges sent, HeldChanges held,
                         C2cMessageSender c2c, GroupMessageSender groupMessages, GroupChangeSender groupChanges, SyncLatency latency, SyncStages stages, MeterRegistry metrics) {
        this.stages = stages;
        this.messages = messages;
        this.routing = routing;
        this.sent = sent;
        this.held = held;
        this.c2c = c2c;
        this.groupMessages = groupMessages;
        this.groupChanges = groupChanges;
        this.latency = latency;
        this.metrics = metrics;
    }

    /** Handles one queue message; the outcome (sent / skipped / held) is left in header ImSyncOutcome. */
    public void handle(Exchange exchange) {
        Message message = exchange.getMessage();
        String payload = message.getBody(String.class);
        OldSystemChange change = messages.read(payload).validate();
        stages.reached(SyncStages.PICKED_UP, change, System.currentTimeMillis());
        String conversation = routing.conversation(change);
        boolean released = Boolean.TRUE.equals(message.getHeader(HeldChanges.RELEASED, Boolean.class));
        String outcome;
        try {
            outcome = outcome(change, conversation, payload, released);
        } catch (RejectedRecordException | ImPermanentException refused) {
            if (released) {
                held.handled(change); // dead-lettered: it no longer holds its conversation's line
            }
            throw refused;
        }
        if (released) {
            // only now may the conversation's later changes pass: until here its held line was not empty
            held.handled(change);
        }
        message.setHeader("ImSyncOutcome", outcome);
    }

    /** A change not sent: one INFO line with its reason, counted in imsmooth.sync.skipped{direction=old-to-im,reason}. */
    private void skipped(OldSystemChange change, String reason) {
        skips.computeIfAbsent(reason, r -> Counter.builder("imsmooth.sync.skipped").tag("direction", DIRECTION).tag("reason", r)
                .description("Old-system changes not sent to IM, by reason").register(metrics)).increment();
        LOG.info("skipped {} {}{}: {}", change.idKind(), change.sourceId(),
                change.event() == null ? "" : " (" + change.event() + " of group " + change.groupId() + ")", reason);
    }

    private String outcome(OldSystemChange change, String conversation, String payload, boolean released) {
        java.util.Optional<String> skip = sent.skipReason(change);
        if (skip.isPresent()) {
            skipped(change, skip.get());
            return "skipped";
        }
        String stage = routing.awaitedStage(change);
        if (!released && held.mustHold(stage, change, conversation)) {
            held.hold(conversation, change, stage, payload);
            return "held";
        }
        String imId;
        try {
            imId = switch (change.change()) {
                case OldSystemChange.C2C_MESSAGE -> c2c.send(change);
                // a group change's conversation is its GroupId, just looked up (an invalid one is looked up again, and refused)
                case OldSystemChange.GROUP_MESSAGE -> conversation.startsWith("invalid:") ? groupMessages.send(change)
                        : groupMessages.send(change, conversation);
                default -> groupChanges.send(change);
            };
        } catch (RejectedRecordException | ImPermanentException refused) {
            sent.rejected(change, refused.getMessage());
            throw refused;
        }
        stages.reached(SyncStages.IM_ACK, change, System.currentTimeMillis());
        // the latency ends at IM's ack; the id map record after it is durable before the queue message is acked
        latency.acknowledged(change);
        sent.sent(change, imId, conversation);
        LOG.debug("{} {} -> IM {}", change.idKind(), change.sourceId(), imId);
        return "sent";
    }
}
