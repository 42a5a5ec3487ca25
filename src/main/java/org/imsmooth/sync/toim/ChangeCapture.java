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

import org.apache.camel.Exchange;
import org.imsmooth.oldsystem.KeysetPageReader;
import org.imsmooth.oldsystem.OldSystemMapping;
import org.imsmooth.state.ImportCursors;
import org.springframework.stereotype.Component;

/**
 * Change capture by polling: each capture kind is read in keyset pages from a durable compound
 * cursor (happened_at, source_id), in table import_cursor as {@code capture:<kind>}. Only the lease
 * holder reads. routes/sync-old-to-im-capture.yaml puts each row on the queue and then commits the page.
 */
@Component("changeCapture")
public class ChangeCapture {

    static final String CURSOR_PREFIX = "capture:";
    private static final List<String> CURSOR = List.of("happened_at", "source_id");
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ChangeCaptureProperties properties;
    private final KeysetPageReader reader;
    private final ImportCursors cursors;
    private final CaptureLease lease;

    public ChangeCapture(ChangeCaptureProperties properties, KeysetPageReader reader, ImportCursors cursors, CaptureLease lease) {
        this.properties = properties;
        this.reader = reader;
        this.cursors = cursors;
        this.lease = lease;
    }

    /** The capture kinds to poll this round: none unless capture is on and this instance holds the lease. */
    public List<String> kinds() {
        if (!properties.enabled() || properties.queries().isEmpty() || !lease.acquire(LEASE)) {
            return List.of();
        }
        ensureWatermark(Instant.now());
        return new ArrayList<>(properties.queries().keySet());
    }

    /** The next page of changes of one kind after its cursor (sets ImMorePages like the import's reader). */
    public List<OldSystemChange> nextPage(String kind, Exchange exchange) {
        ChangeCaptureProperties.CaptureQuery capture = properties.queries().get(kind);
        OldSystemMapping.KindQuery query = new OldSystemMapping.KindQuery(capture.sql(), CURSOR, null, null);
        Map<String, Object> settled = Map.of("settled_before", Timestamp.from(Instant.now().minus(properties.settleDelay())));
        List<Map<String, Object>> rows = reader.nextPage(CURSOR_PREFIX + kind, query, properties.pageSize(), settled, exchange);
        return rows.stream().map(row -> OldSystemChange.fromRow(capture.change(), row)).toList();
    }

    /** Moves the kind's cursor past the page just read; call once every change of it is on the broker. */
    public void commitPage(String kind, Exchange exchange) {
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
                cursors.save(CURSOR_PREFIX + kind, key, 0);
            }
        }
    }
}
