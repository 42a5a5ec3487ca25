package org.imsmooth.sync.toim;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.springframework.stereotype.Component;

/**
 * A change as a message of queue im.sync.old-to-im: JSON body, JMSXGroupID = its conversation, and
 * the source id and kind that a dead letter must show.
 */
@Component("changeMessages")
public class ChangeMessages {

    static final String GROUP_HEADER = "JMSXGroupID";

    private final ObjectMapper json = new ObjectMapper();
    private final ChangeRouting routing;

    public ChangeMessages(ChangeRouting routing) {
        this.routing = routing;
    }

    /** Turns the body (a change, or its JSON when released from the held line) into the queue message. */
    public void prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        OldSystemChange change = body instanceof OldSystemChange c ? c : read(message.getBody(String.class));
        headers(change).forEach(message::setHeader);
        message.setBody(write(change));
    }

    /** The queue message's headers: JMSXGroupID = the conversation, the source id and kind for a dead letter. */
    public Map<String, String> headers(OldSystemChange change) {
        return Map.of(GROUP_HEADER, routing.conversation(change), DeadLetterHeaders.SOURCE_ID, change.sourceId(),
                DeadLetterHeaders.SOURCE_KIND, change.idKind());
    }

    /** {@link #headers(OldSystemChange)} of each change of a batch, in order (the batch's groups looked up at once). */
    public java.util.List<Map<String, String>> headers(java.util.List<OldSystemChange> changes) {
        java.util.List<String> conversations = routing.conversations(changes);
        java.util.List<Map<String, String>> headers = new java.util.ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            OldSystemChange change = changes.get(i);
            headers.add(Map.of(GROUP_HEADER, conversations.get(i), DeadLetterHeaders.SOURCE_ID, change.sourceId(),
                    DeadLetterHeaders.SOURCE_KIND, change.idKind()));
        }
        return headers;
    }

    public OldSystemChange read(String text) {
        try {
            return json.readValue(text, OldSystemChange.class);
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException(null, "not a change of the old system (JSON): " + e.getOriginalMessage());
        }
    }

    public String write(OldSystemChange change) {
        try {
            return json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
