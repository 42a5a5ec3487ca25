package org.imsmooth.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.imsmooth.canonical.C2cMessageRecord;
import org.imsmooth.canonical.ConversationKey;
import org.imsmooth.canonical.GroupMessageRecord;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.state.ImportHandOffs;
import org.springframework.stereotype.Component;

/**
 * Hand-off per conversation between the import and live sync (docs/sync.md). A stage read conversation
 * by conversation (group history always; 1:1 history when its mapping says {@code order: conversation},
 * {@link OldSystemSource#readsByConversation}): once the reader's cursor has passed a conversation,
 * every batch of it is on the work queue, in the conversation's ordered lane. The reader then puts a
 * marker (header {@link #MARKER}) behind them in the same lane; the worker, reaching it after the
 * conversation's batches, records the conversation as handed off ({@link ImportHandOffs}), and its live
 * changes stop waiting for the whole stage. A conversation is a group's old id, or for 1:1 both old user
 * ids sorted ({@link ConversationKey}). 1:1 history read in time order gets no markers (a conversation
 * is complete only when the stage is).
 * <p>
 * The reader checks that conversations do come one after another: a conversation that comes back after
 * another one (an ORDER BY that does not keep a conversation's rows together) stops the markers of the
 * stage's run with an error in the log, so its live changes wait for the whole stage again.
 */
@Component("handOffMarkers")
public class HandOffMarkers {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HandOffMarkers.class);

    public static final String MARKER = "ImHandOffMarker";
    /** Exchange property: the last conversation of the previous page, complete once a page starts with another. */
    private static final String OPEN_GROUP = "ImHandOffOpenGroup";
    /** Exchange property: the conversations the previous page completed (none of them may come back). */
    private static final String PASSED = "ImHandOffPassed";
    /** Exchange property: set once the rows came out of conversation order; no more markers in this run. */
    private static final String OUT_OF_ORDER = "ImHandOffOutOfOrder";

    private final OrderLanes lanes;
    private final ImportHandOffs handOffs;
    private final ProducerTemplate producer;
    private final OldSystemSource source;

    public HandOffMarkers(OrderLanes lanes, ImportHandOffs handOffs, ProducerTemplate producer, OldSystemSource source) {
        this.lanes = lanes;
        this.handOffs = handOffs;
        this.producer = producer;
        this.source = source;
    }

    /** Whether the stage's live changes are handed off conversation by conversation (else when the stage is done). */
    public boolean perConversation(String stage) {
        return source.readsByConversation(stage);
    }

    /** After a page's batches reached the broker and the cursor moved past it: markers for the conversations it completed. */
    public void pageRead(String stage, Exchange exchange) {
        if (!perConversation(stage) || exchange.getProperty(OUT_OF_ORDER) != null) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        if (rows == null || rows.isEmpty()) {
            return; // the last page: the stage's end hands off what is left
        }
        @SuppressWarnings("unchecked")
        Set<String> passed = exchange.getProperty(PASSED, Set.class);
        Set<String> conversations = new LinkedHashSet<>();
        String open = exchange.getProperty(OPEN_GROUP, String.class);
        if (open != null) {
            conversations.add(open);
        }
        String previous = open;
        for (Map<String, Object> row : rows) {
            String conversation;
            try {
                conversation = conversationOf(stage, row);
            } catch (RuntimeException unreadable) {
                continue; // a row the import dead-letters: it belongs to no conversation's hand-off
            }
            if (conversation == null || conversation.equals(previous)) {
                continue;
            }
            if (!conversations.add(conversation) || (passed != null && passed.contains(conversation))) {
                exchange.setProperty(OUT_OF_ORDER, true);
                LOG.error("{}: conversation {} came back after another one: the stage's rows are not read conversation by "
                        + "conversation, so no more conversations are handed off before the stage is done (check the ORDER BY "
                        + "of oldsystem.queries.{}.sql, or drop its order: conversation)", stage, conversation, stage);
                return;
            }
            previous = conversation;
        }
        List<String> complete = new ArrayList<>(conversations);
        String last = complete.isEmpty() ? null : complete.remove(complete.size() - 1);
        exchange.setProperty(OPEN_GROUP, last);
        exchange.setProperty(PASSED, new java.util.HashSet<>(complete));
        LOG.debug("{}: page of {} rows read, markers behind conversations {}, {} still open", stage, rows.size(), complete, last);
        for (String conversation : complete) {
            producer.sendBodyAndHeaders("jms:queue:im.import." + stage, "",
                    Map.of("JMSXGroupID", lanes.of(stage, conversation), MARKER, conversation));
        }
    }

    /** The conversation a row belongs to, as the lanes know it (the record's order key). */
    static String conversationOf(String stage, Map<String, Object> row) {
        return "c2c-messages".equals(stage) ? C2cMessageRecord.fromRow(row).conversation() : GroupMessageRecord.fromRow(row).groupId();
    }

    /** The worker (queue im.import.<stage>) reached a conversation's marker: every batch of it before the marker was handled. */
    public void reached(@Header(MARKER) String conversation, @ExchangeProperty("ImWorkQueue") String workQueue) {
        LOG.debug("{}: marker of conversation {} reached, handed off", workQueue, conversation);
        handOffs.record(workQueue.substring(workQueue.lastIndexOf('.') + 1), conversation);
    }
}
