package org.imsmooth.sync.toim;

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

    private final ChangeMessages messages;
    private final ChangeRouting routing;
    private final SentChanges sent;
    private final ImportHandOff handOff;
    private final HeldChanges held;
    private final C2cMessageSender c2c;
    private final GroupMessageSender groupMessages;
    private final GroupChangeSender groupChanges;
    private final SyncLatency latency;

    public OldToImSender(ChangeMessages messages, ChangeRouting routing, SentChanges sent, ImportHandOff handOff, HeldChanges held,
                         C2cMessageSender c2c, GroupMessageSender groupMessages, GroupChangeSender groupChanges, SyncLatency latency) {
        this.messages = messages;
        this.routing = routing;
        this.sent = sent;
        this.handOff = handOff;
        this.held = held;
        this.c2c = c2c;
        this.groupMessages = groupMessages;
        this.groupChanges = groupChanges;
        this.latency = latency;
    }

    /** Handles one queue message; the outcome (sent / skipped / held) is left in header ImSyncOutcome. */
    public void handle(Exchange exchange) {
        Message message = exchange.getMessage();
        String payload = message.getBody(String.class);
        OldSystemChange change = messages.read(payload).validate();
        String conversation = routing.conversation(change);
        message.setHeader("ImSyncOutcome", outcome(change, conversation, payload,
                Boolean.TRUE.equals(message.getHeader(HeldChanges.RELEASED, Boolean.class))));
    }

    private String outcome(OldSystemChange change, String conversation, String payload, boolean released) {
        if (sent.alreadyInIm(change)) {
            return "skipped";
        }
        String stage = routing.awaitedStage(change);
        if (!released && (handOff.mustWait(stage) || held.holdsAny(conversation))) {
            held.hold(conversation, change, stage, payload);
            return "held";
        }
        String imId;
        try {
            imId = switch (change.change()) {
                case OldSystemChange.C2C_MESSAGE -> c2c.send(change);
                case OldSystemChange.GROUP_MESSAGE -> groupMessages.send(change);
                default -> groupChanges.send(change);
            };
        } catch (RejectedRecordException | ImPermanentException refused) {
            sent.rejected(change, refused.getMessage());
            throw refused;
        }
        sent.sent(change, imId, conversation);
        latency.acknowledged(change);
        LOG.debug("{} {} -> IM {}", change.idKind(), change.sourceId(), imId);
        return "sent";
    }
}
