package org.imsmooth.pipeline.failure;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.imsmooth.broker.BrokerProperties;
import org.imsmooth.oldsystem.UnreadableRows;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * A row the old system's database cannot return goes to its stage's DLQ with the database's error,
 * its cursor values as the body, and is recorded as invalid data under its id (the row itself is
 * what is wrong), so the reconciliation counts it as dead-lettered, not missing.
 */
@Component
public class UnreadableRowDeadLetters implements UnreadableRows {

    private static final String IMPORT_QUEUE_PREFIX = "im.import.";

    private final ProducerTemplate producer;
    private final IdMap idMap;
    private final StageProgress progress;
    private final ImportMode mode;
    private final ObjectMapper json = new ObjectMapper();

    public UnreadableRowDeadLetters(ProducerTemplate producer, IdMap idMap, StageProgress progress, ImportMode mode) {
        this.producer = producer;
        this.idMap = idMap;
        this.progress = progress;
        this.mode = mode;
    }

    @Override
    public void unreadable(String kind, String oldId, Map<String, Object> key, String error) {
        deadLetter(kind, oldId, key, "the old system cannot return this row: " + error, "java.sql.SQLException");
    }

    @Override
    public void refused(String kind, String oldId, Map<String, Object> key, String reason) {
        deadLetter(kind, oldId, key, reason, "org.imsmooth.oldsystem.files.ExportFileReader");
    }

    private void deadLetter(String kind, String oldId, Map<String, Object> key, String reason, String exception) {
        String workQueue = IMPORT_QUEUE_PREFIX + kind;
        String dlq = BrokerProperties.deadLetterQueueOf(workQueue);
        Map<String, Object> headers = new HashMap<>();
        headers.put(DeadLetterHeaders.SOURCE_ID, oldId);
        headers.put(DeadLetterHeaders.SOURCE_KIND, kind);
        headers.put(DeadLetterHeaders.REASON, reason);
        headers.put(DeadLetterHeaders.EXCEPTION, exception);
        headers.put(DeadLetterHeaders.FAILED_ROUTE, "import-" + kind + "-read");
        headers.put(DeadLetterHeaders.FAILED_AT, Instant.now().toString());
        headers.put(DeadLetterHeaders.DEAD_LETTER_QUEUE, dlq);
        producer.sendBodyAndHeaders("jms:queue:" + dlq, body(oldId, key), headers);
        if (!mode.dryRun()) {
            idMap.recordRejected(kind, oldId, "old", reason);
        }
        progress.deadLettered(kind, 1);
    }

    private String body(String oldId, Map<String, Object> key) {
        Map<String, Object> body = new HashMap<>();
        body.put("sourceId", oldId);
        Map<String, String> cursor = new HashMap<>();
        key.forEach((column, value) -> cursor.put(column, String.valueOf(value)));
        body.put("cursor", cursor);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return String.valueOf(body);
        }
    }
}
