package org.imsmooth.sync.toim;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;
import org.imsmooth.oldsystem.KeysetPageReader;
import org.imsmooth.oldsystem.OldSystemMapping;
import org.imsmooth.state.ImportCursors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Change capture by polling: each capture kind is read in keyset pages from a durable compound
 * cursor (happened_at, source_id), in table import_cursor as {@code capture:<kind>}. Only the lease
 * holder reads. routes/sync-old-to-im-capture.camel.yaml puts each page on the queue, then commits the page.
 */
@Component("changeCapture")
public class ChangeCapture {

    static final String CURSOR_PREFIX = "capture:";
    static final String QUEUE = "im.sync.old-to-im";
    private static final List<String> CURSOR = List.of("happened_at", "source_id");
    private volatile Duration leaseTtl = Duration.ofSeconds(30);

    private final ChangeCaptureProperties properties;
    private final KeysetPageReader reader;
    private final ImportCursors cursors;
    private final CaptureLease lease;
    private final ChangeMessages messages;
    private final JmsTemplate jms;
    private final boolean logCapture;

    /** How long a lease lasts unless renewed ({@code migration.lease-ttl}): how soon another instance takes over. */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void leaseTtl(@Value("${migration.lease-ttl:30s}") Duration ttl) {
        this.leaseTtl = ttl;
    }

    public ChangeCapture(ChangeCaptureProperties properties, KeysetPageReader reader, ImportCursors cursors, CaptureLease lease,
                         ChangeMessages messages, ConnectionFactory connectionFactory,
                         @org.springframework.beans.factory.annotation.Value("${log-capture.enabled:false}") boolean logCapture) {
        this.logCapture = logCapture;
        this.properties = properties;
        this.reader = reader;
        this.cursors = cursors;
        this.lease = lease;
        this.messages = messages;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
    }

    /** The capture kinds to poll this round: none unless capture is on and this instance holds the lease. */
    public List<String> kinds() {
        // log-based capture, when on, reads the same changes from the database's log
        if (!properties.enabled() || logCapture || properties.queries().isEmpty() || !lease.acquire(leaseTtl)) {
            return List.of();
        }
        ensureWatermark(Instant.now());
        return new ArrayList<>(properties.queries().keySet());
    }

    /** The next page of changes of one kind after its cursor (sets ImMorePages like the import's reader). */
    public List<OldSystemChange> nextPage(String kind, Exchange exchange) {
        if (!lease.held()) {
            // another instance captures now (this one missed its renewals): stop before reading on
            exchange.setProperty(KeysetPageReader.MORE_PAGES, false);
            return List.of();
        }
        ChangeCaptureProperties.CaptureQuery capture = properties.queries().get(kind);
        OldSystemMapping.KindQuery query = new OldSystemMapping.KindQuery(capture.sql(), CURSOR, null, null);
        Map<String, Object> settled = Map.of("settled_before", Timestamp.from(Instant.now().minus(properties.settleDelay())));
        List<Map<String, Object>> rows = reader.nextPage(CURSOR_PREFIX + kind, query, properties.pageSize(), settled, exchange);
        return rows.stream().map(row -> OldSystemChange.fromRow(capture.change(), row)).toList();
    }

    /**
     * Puts a page of changes on im.sync.old-to-im in one broker transaction: one journal sync per page
     * instead of one per change (a durable send waits for the disk), in the page's order.
     */
    public void enqueuePage(List<OldSystemChange> page) {
        if (page.isEmpty()) {
            return;
        }
        List<Map<String, String>> headers = messages.headers(page);
        jms.execute(session -> {
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            try {
                for (int i = 0; i < page.size(); i++) {
                    OldSystemChange change = page.get(i);
                    TextMessage message = session.createTextMessage(messages.write(change));
                    for (Map.Entry<String, String> header : headers.get(i).entrySet()) {
                        message.setStringProperty(header.getKey(), header.getValue());
                    }
                    producer.send(message);
                }
                session.commit();
            } finally {
                producer.close();
            }
            return null;
        }, true);
    }

    /** Moves the kind's cursor past the page just read; call once every change of it is on the broker. */
    public void commitPage(String kind, Exchange exchange) {
        if (!lease.held()) {
            // the holder reads on from the cursor; the changes just queued are found in the id map there
            exchange.setProperty(KeysetPageReader.MORE_PAGES, false);
            return;
        }
        reader.commitPage(CURSOR_PREFIX + kind, exchange);
    }

    /**
     * Puts the first cursor of every kind that has none at {@code from} minus the start margin: when
     * the historical import starts (everything created from then on is captured; the overlap with
     * the import is sent once, checked in the id map), or at the first poll without an import.
     */
    public void ensureWatermark(Instant from) {
        LocalDateTime start = LocalDateTime.ofInstant(from.minus(properties.startMargin()), ZoneId.systemDefault());
        for (String kind : properties.queries().keySet()) {
            if (cursors.load(CURSOR_PREFIX + kind).isEmpty()) {
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("happened_at", KeysetPageReader.storedTimestamp(start));
                key.put("source_id", 0);
                cursors.saveFirst(CURSOR_PREFIX + kind, key);
            }
        }
    }
}
