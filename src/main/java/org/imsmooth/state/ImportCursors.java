package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Keyset cursors of the import stages (table {@code import_cursor}), shared by every instance. */
@Component
public class ImportCursors {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public ImportCursors(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The last key read for this stage, or empty when the stage has not started. */
    public Optional<Map<String, Object>> load(String stage) {
        return jdbc.query("SELECT cursor_key FROM import_cursor WHERE stage = ?", (rs, i) -> rs.getString(1), stage)
                .stream().findFirst().map(this::parse);
    }

    public long rowsRead(String stage) {
        return jdbc.query("SELECT rows_read FROM import_cursor WHERE stage = ?", (rs, i) -> rs.getLong(1), stage)
                .stream().findFirst().orElse(0L);
    }

    public void save(String stage, Map<String, Object> key, long rowsAdded) {
        String value = write(key);
        Timestamp now = Timestamp.from(Instant.now());
        int updated = jdbc.update("UPDATE import_cursor SET cursor_key = ?, rows_read = rows_read + ?, updated_at = ? WHERE stage = ?",
                value, rowsAdded, now, stage);
        if (updated == 0) {
            jdbc.update("INSERT INTO import_cursor (stage, cursor_key, rows_read, updated_at) VALUES (?,?,?,?)",
                    stage, value, rowsAdded, now);
        }
    }

    /**
     * Stores a stage's first cursor unless it has one. Two callers that both found none (the operator's
     * start and another instance's first capture poll) race to insert it: the first one stored stays.
     */
    public void saveFirst(String stage, Map<String, Object> key) {
        try {
            jdbc.update("INSERT INTO import_cursor (stage, cursor_key, rows_read, updated_at) VALUES (?,?,?,?)",
                    stage, write(key), 0, Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException storedMeanwhile) {
            // the other caller's first cursor is as good as this one
        }
    }

    private Map<String, Object> parse(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("import_cursor holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private String write(Map<String, Object> key) {
        try {
            return json.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cursor key is not serialisable: " + key.keySet(), e);
        }
    }
}
