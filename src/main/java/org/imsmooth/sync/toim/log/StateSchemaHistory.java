package org.imsmooth.sync.toim.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.debezium.config.Configuration;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistory;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The MySQL connector's schema history (the captured tables' structure along the binlog) in table
 * {@code capture_schema_history} of the state database: a restarted or another instance reads the
 * binlog from the stored offset with the table structure of that point. Records are cut into parts
 * that fit a portable VARCHAR.
 */
public class StateSchemaHistory extends AbstractSchemaHistory {

    static final String CAPTURE = "schema.history.internal.imsmooth.capture";
    private static final int PART = 4000;

    private String capture;
    private JdbcTemplate state;
    private final DocumentWriter writer = DocumentWriter.defaultWriter();
    private final DocumentReader reader = DocumentReader.defaultReader();

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener, boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        capture = config.getString(CAPTURE);
        if (capture == null) {
            capture = config.getString(SchemaHistory.NAME);
        }
        state = CaptureStateStore.of(capture);
    }

    @Override
    protected synchronized void storeRecord(HistoryRecord record) throws SchemaHistoryException {
        String text;
        try {
            text = writer.write(record.document());
        } catch (IOException e) {
            throw new SchemaHistoryException("cannot write a schema history record", e);
        }
        Long last = state.queryForObject("SELECT MAX(seq) FROM capture_schema_history WHERE capture = ?", Long.class, capture);
        long seq = last == null ? 0 : last + 1;
        List<Object[]> parts = new ArrayList<>();
        for (int i = 0, part = 0; i < text.length(); i += PART, part++) {
            parts.add(new Object[] {capture, seq, part, text.substring(i, Math.min(text.length(), i + PART))});
        }
        state.batchUpdate("INSERT INTO capture_schema_history (capture, seq, part, data) VALUES (?, ?, ?, ?)", parts);
    }

    @Override
    protected synchronized void recoverRecords(Consumer<HistoryRecord> records) {
        StringBuilder current = new StringBuilder();
        long[] seq = {-1};
        List<String> texts = new ArrayList<>();
        state.query("SELECT seq, data FROM capture_schema_history WHERE capture = ? ORDER BY seq, part", rs -> {
            long s = rs.getLong(1);
            if (s != seq[0] && seq[0] >= 0) {
                texts.add(current.toString());
                current.setLength(0);
            }
            seq[0] = s;
            current.append(rs.getString(2));
        }, capture);
        if (seq[0] >= 0) {
            texts.add(current.toString());
        }
        for (String text : texts) {
            try {
                records.accept(new HistoryRecord(reader.read(text)));
            } catch (IOException e) {
                throw new SchemaHistoryException("cannot read a schema history record of '" + capture + "'", e);
            }
        }
    }

    @Override
    public boolean exists() {
        Long rows = state.queryForObject("SELECT COUNT(*) FROM capture_schema_history WHERE capture = ?", Long.class, capture);
        return rows != null && rows > 0;
    }

    @Override
    public boolean storageExists() {
        return true; // a table of the state database's schema (Flyway)
    }

    @Override
    public String toString() {
        return "state database schema history of '" + capture + "'";
    }
}
