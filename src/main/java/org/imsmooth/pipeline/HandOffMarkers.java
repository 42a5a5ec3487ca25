package org.imsmooth.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.imsmooth.canonical.C2cMessageRecord;
import org.imsmooth.canonical.ConversationKey;
import org.imsmooth.canonical.GroupMessageRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.state.ImportHandOffs;
import org.springframework.beans.factory.annotation.Autowired;
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
 * A page completes hundreds of groups: a lane gets one marker per page for all of them (header
 * {@link #CONVERSATIONS}), recorded in one commit, and the page's markers go to the broker in one JMS
 * transaction (one journal sync, where a durable send per group held the reader for as many round trips
 * and its workers for as many commits, one after another in each lane); the reader's read-ahead bound
 * adds them on top of its batches ({@link InlineBatchSending#sentAlongside}).
 * <p>
 * The reader checks that conversations do come one after another: a conversation that comes back after
 * another one (an ORDER BY that does not keep a conversation's rows together) stops the markers of the
 * stage's run with an error in the log, so its live changes wait for the whole stage again.
 */
@Component("handOffMarkers")
public class HandOffMarkers {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HandOffMarkers.class);

    public static final String MARKER = "ImHandOffMarker";
    /** Header of a marker: every conversation it hands off, as a JSON array (MARKER holds the first). */
    public static final String CONVERSATIONS = "ImHandOffConversations";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** Exchange property: the last conversation of the previous page, complete once a page starts with another. */
    private static final String OPEN_GROUP = "ImHandOffOpenGroup";
    /** Exchange property: the conversations the previous page completed (none of them may come back). */
    private static final String PASSED = "ImHandOffPassed";
    /** Exchange property: set once the rows came out of conversation order; no more markers in this run. */
    private static final String OUT_OF_ORDER = "ImHandOffOutOfOrder";

    /** A lane's marker for one page: the lane (JMSXGroupID) it goes into and the conversations it hands off. */
    record Marker(String lane, List<String> conversations) {
    }

    /** Puts a page's markers on a stage's work queue, all or none, in order. */
    @FunctionalInterface
    interface MarkerSink {
        void send(String workQueue, List<Marker> markers);
    }

    private final OrderLanes lanes;
    private final ImportHandOffs handOffs;
    private final MarkerSink sink;
    private final OldSystemSource source;
    private final InlineBatchSending batchSenders;

    @Autowired
    public HandOffMarkers(OrderLanes lanes, ImportHandOffs handOffs, ConnectionFactory connectionFactory, OldSystemSource source,
                          InlineBatchSending batchSenders) {
        this(lanes, handOffs, (queue, markers) -> sendInOneTransaction(connectionFactory, queue, markers), source, batchSenders);
    }

    HandOffMarkers(OrderLanes lanes, ImportHandOffs handOffs, MarkerSink sink, OldSystemSource source, InlineBatchSending batchSenders) {
        this.lanes = lanes;
        this.handOffs = handOffs;
        this.sink = sink;
        this.source = source;
        this.batchSenders = batchSenders;
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
        if (complete.isEmpty()) {
            return;
        }
        // one marker per lane behind the page's batches of that lane: each marker costs the worker a commit,
        // and a lane's markers are worked one after another (a page completes several groups per lane)
        Map<String, List<String>> byLane = new java.util.LinkedHashMap<>();
        for (String conversation : complete) {
            byLane.computeIfAbsent(lanes.of(stage, conversation), l -> new ArrayList<>()).add(conversation);
        }
        List<Marker> markers = byLane.entrySet().stream().map(e -> new Marker(e.getKey(), List.copyOf(e.getValue()))).toList();
        sink.send("im.import." + stage, markers);
        batchSenders.sentAlongside(stage, markers.size());
    }

    /**
     * The markers as the worker reads them (empty text body, headers JMSXGroupID, {@link #MARKER} and
     * {@link #CONVERSATIONS}),
     * persistent, committed together. They follow their conversations' batches, which the reader's
     * sender had on the broker before the page's cursor moved.
     */
    static void sendInOneTransaction(ConnectionFactory connectionFactory, String workQueue, List<Marker> markers) {
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = session.createProducer(session.createQueue(workQueue))) {
            for (Marker marker : markers) {
                Message message = session.createTextMessage("");
                message.setStringProperty("JMSXGroupID", marker.lane());
                message.setStringProperty(MARKER, marker.conversations().get(0));
                message.setStringProperty(CONVERSATIONS, JSON.writeValueAsString(marker.conversations()));
                producer.send(message);
            }
            session.commit();
        } catch (JMSException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not put " + markers.size() + " hand-off markers on " + workQueue + ": " + e.getMessage(), e);
        }
    }

    /** The conversation a row belongs to, as the lanes know it (the record's order key). */
    static String conversationOf(String stage, Map<String, Object> row) {
        return "c2c-messages".equals(stage) ? C2cMessageRecord.fromRow(row).conversation() : GroupMessageRecord.fromRow(row).groupId();
    }

    /**
     * The worker (queue im.import.<stage>) reached a marker: every batch of its conversations before it
     * was handled. A marker put on the queue by an earlier version names one conversation, in MARKER only.
     * One whose {@link #CONVERSATIONS} cannot be read is rejected: it goes to the DLQ, and nothing is handed off.
     */
    public void reached(@Header(MARKER) String first, @Header(CONVERSATIONS) String all,
                        @ExchangeProperty("ImWorkQueue") String workQueue) {
        List<String> conversations = all == null ? (first == null ? null : List.of(first)) : conversationIds(all);
        if (conversations == null) {
            // it will never read better: straight to the work queue's DLQ (headers kept, source id = its first conversation)
            throw new RejectedRecordException(first, "hand-off marker for " + first + " on " + workQueue + ": header " + CONVERSATIONS
                    + " is not a JSON array of conversation ids");
        }
        LOG.debug("{}: marker of conversations {} reached, handed off", workQueue, conversations);
        handOffs.record(workQueue.substring(workQueue.lastIndexOf('.') + 1), conversations);
    }

    /** The header's conversation ids, or null when it is not a JSON array of non-blank strings. */
    private static List<String> conversationIds(String header) {
        try {
            String[] ids = JSON.readValue(header, String[].class);
            if (ids == null || java.util.Arrays.stream(ids).anyMatch(id -> id == null || id.isBlank())) {
                return null;
            }
            return List.of(ids);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
