package org.imsmooth.sync.toim.log;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.sync.OwnWrites;
import org.imsmooth.sync.toim.OldSystemChange;
import org.imsmooth.sync.toim.SyncStages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * The step of routes/sync-old-to-im-log-capture.camel.yaml: one row change read from the old database's
 * log (Debezium) becomes canonical changes on queue im.sync.old-to-im, the same queue and form as the
 * polling capture. Rows the IM -> old writer wrote are skipped ({@link OwnWrites}, on Debezium's thread,
 * in the order read). Each row's mapping is handed to {@link LogCaptureQueue}, which runs it on a mapping
 * thread and commits the changes to the broker in batches, in the order read, before
 * Debezium may store their offsets, so nothing read is lost; a row change the mapping cannot turn into a
 * valid change is dead-lettered with the reason, and capture goes on.
 */
@Component("logCapture")
public class LogCapture {

    private static final Logger LOG = LoggerFactory.getLogger(LogCapture.class);
    static final String DLQ = "im.sync.old-to-im.DLQ";

    private final LogCaptureMapping mapping;
    private final OwnWrites ownWrites;
    private final LogCaptureQueue queue;
    private final JmsTemplate jms;
    private final MeterRegistry meters;
    private final SyncStages stages;

    public LogCapture(LogCaptureMapping mapping, OwnWrites ownWrites, LogCaptureQueue queue, ConnectionFactory connectionFactory,
                      MeterRegistry meters, SyncStages stages) {
        this.stages = stages;
        this.mapping = mapping;
        this.ownWrites = ownWrites;
        this.queue = queue;
        this.jms = new JmsTemplate(connectionFactory);
        this.meters = meters;
    }

    public void handle(Exchange exchange) throws InterruptedException {
        long received = System.currentTimeMillis();
        Message message = exchange.getMessage();
        String op = message.getHeader(DebeziumConstants.HEADER_OPERATION, String.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> source = message.getHeader(DebeziumConstants.HEADER_SOURCE_METADATA, Map.class);
        if (op == null || source == null || source.get("table") == null) {
            return; // heartbeat, tombstone or schema change: no row
        }
        String table = source.get("table").toString();
        if (!mapping.maps(table)) {
            return;
        }
        Map<String, Object> before = DebeziumRows.toMap(message.getHeader(DebeziumConstants.HEADER_BEFORE));
        Map<String, Object> after = DebeziumRows.toMap(message.getBody());
        Map<String, Object> row = after != null ? after : before;
        if (row == null) {
            return;
        }
        String position = position(source);
        if (ownWrites.claim(table, op, row, position)) {
            meters.counter("imsmooth.sync.skipped", "direction", "old-to-im", "reason", "own-write").increment();
            LOG.debug("{} {} of {} at {} was written by the IM -> old writer: not sent back", op, key(message), table, position);
            return;
        }
        Number ts = (Number) source.get("ts_ms");
        LogCaptureMapping.RowChange change = new LogCaptureMapping.RowChange(table, op, before, after,
                ts == null ? null : ts.longValue(), position, key(message));
        // the mapping (lookup query, expression) runs beside the reading; the row keeps its place in the order read
        queue.submitMapping(() -> map(change, received));
    }

    /** The row change's canonical changes; none when the mapping rejects it (then it is dead-lettered). */
    private List<OldSystemChange> map(LogCaptureMapping.RowChange change, long received) {
        List<OldSystemChange> changes;
        try {
            changes = mapping.changes(change);
            changes.forEach(OldSystemChange::validate);
        } catch (RejectedRecordException rejected) {
            deadLetter(change, rejected);
            return List.of();
        }
        long mapped = System.currentTimeMillis();
        for (OldSystemChange c : changes) {
            if (change.committedAt() != null) {
                stages.reached(SyncStages.COMMITTED, c, change.committedAt());
            }
            stages.reached(SyncStages.RECEIVED, c, received);
            stages.reached(SyncStages.MAPPED, c, mapped);
        }
        return changes;
    }

    private void deadLetter(LogCaptureMapping.RowChange change, RejectedRecordException rejected) {
        LOG.warn("log capture: {} change of {} {} is dead-lettered: {}", change.op(), change.table(), change.key(), rejected.getMessage());
        jms.send(DLQ, session -> {
            jakarta.jms.TextMessage m = session.createTextMessage(String.valueOf(change.row()));
            m.setStringProperty(DeadLetterHeaders.REASON, rejected.getMessage());
            m.setStringProperty(DeadLetterHeaders.SOURCE_ID, change.table() + ":" + change.key());
            m.setStringProperty(DeadLetterHeaders.SOURCE_KIND, "log-capture:" + change.table());
            m.setStringProperty(DeadLetterHeaders.FAILED_ROUTE, "sync-old-to-im-log-capture");
            m.setStringProperty(DeadLetterHeaders.FAILED_AT, java.time.Instant.now().toString());
            return m;
        });
    }

    /** Where in the log the change is: PostgreSQL's LSN, MySQL's binlog file, position and row. */
    static String position(Map<String, Object> source) {
        if (source.get("lsn") != null) {
            return "lsn:" + source.get("lsn");
        }
        return "binlog:" + source.get("file") + ":" + source.get("pos") + ":" + source.get("row");
    }

    /** The row's primary key values, joined with ','. */
    private static String key(Message message) {
        Object key = message.getHeader(DebeziumConstants.HEADER_KEY);
        if (!(key instanceof Struct struct)) {
            return String.valueOf(key);
        }
        StringBuilder text = new StringBuilder();
        for (Field field : struct.schema().fields()) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(DebeziumRows.value(field.schema().name(), struct.get(field)));
        }
        return text.toString();
    }
}
