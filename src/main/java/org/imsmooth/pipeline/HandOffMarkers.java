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
import org.imsmooth.canonical.GroupMessageRecord;
import org.imsmooth.state.ImportHandOffs;
import org.springframework.stereotype.Component;

/**
 * Hand-off per conversation between the import and live sync (docs/sync.md). The group-messages
 * reader reads group after group; once its cursor has passed a group, every batch of that group is on
 * the work queue, in the group's ordered lane. The reader then puts a marker (header
 * {@link #MARKER}) behind them in the same lane; the worker, reaching it after the group's batches,
 * records the group as handed off ({@link ImportHandOffs}), and live changes of that group stop
 * waiting for the whole stage. Only stages read in conversation order can do this: group-messages
 * (1:1 history is read in time order, so a conversation is complete only when the stage is).
 */
@Component("handOffMarkers")
public class HandOffMarkers {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HandOffMarkers.class);

    public static final String MARKER = "ImHandOffMarker";
    static final String STAGE = "group-messages";
    /** Exchange property: the last group of the previous page, complete once a page starts with another. */
    private static final String OPEN_GROUP = "ImHandOffOpenGroup";

    private final OrderLanes lanes;
    private final ImportHandOffs handOffs;
    private final ProducerTemplate producer;

    public HandOffMarkers(OrderLanes lanes, ImportHandOffs handOffs, ProducerTemplate producer) {
        this.lanes = lanes;
        this.handOffs = handOffs;
        this.producer = producer;
    }

    /** After a page's batches reached the broker and the cursor moved past it: markers for the groups it completed. */
    public void pageRead(String stage, Exchange exchange) {
        if (!STAGE.equals(stage)) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        if (rows == null || rows.isEmpty()) {
            return; // the last page: the stage's end hands off what is left
        }
        Set<String> groups = new LinkedHashSet<>();
        String open = exchange.getProperty(OPEN_GROUP, String.class);
        if (open != null) {
            groups.add(open);
        }
        for (Map<String, Object> row : rows) {
            try {
                groups.add(GroupMessageRecord.fromRow(row).groupId());
            } catch (RuntimeException unreadable) {
                // a row the import dead-letters: it belongs to no group's hand-off
            }
        }
        List<String> complete = new ArrayList<>(groups);
        String last = complete.isEmpty() ? null : complete.remove(complete.size() - 1);
        exchange.setProperty(OPEN_GROUP, last);
        LOG.debug("{}: page of {} rows read, markers behind groups {}, {} still open", stage, rows.size(), complete, last);
        for (String group : complete) {
            producer.sendBodyAndHeaders("jms:queue:im.import." + stage, "",
                    Map.of("JMSXGroupID", lanes.of(stage, group), MARKER, group));
        }
    }

    /** The worker (queue im.import.<stage>) reached a group's marker: every batch of the group before it was handled. */
    public void reached(@Header(MARKER) String group, @ExchangeProperty("ImWorkQueue") String workQueue) {
        LOG.debug("{}: marker of group {} reached, handed off", workQueue, group);
        handOffs.record(workQueue.substring(workQueue.lastIndexOf('.') + 1), group);
    }
}
