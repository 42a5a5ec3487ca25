package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Export files the export's file consumer found complete, per import stage (table {@code export_file_found}),
 * shared by every instance: what a stage reads, in name order.
 */
@Component
public class ExportFilesFound {

    private final JdbcTemplate jdbc;

    public ExportFilesFound(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The stage's files, in name order. */
    public List<String> files(String stage) {
        return jdbc.queryForList("SELECT file FROM export_file_found WHERE stage = ? ORDER BY file", String.class, stage);
    }

    public boolean contains(String stage, String file) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM export_file_found WHERE stage = ? AND file = ?", Integer.class, stage, file);
        return n != null && n > 0;
    }

    /** Records the file; false when it was recorded before (by this or another instance). */
    public boolean add(String stage, String file) {
        if (contains(stage, file)) {
            return false;
        }
        try {
            jdbc.update("INSERT INTO export_file_found (stage, file, found_at) VALUES (?,?,?)", stage, file, Timestamp.from(Instant.now()));
            return true;
        } catch (DuplicateKeyException another) {
            return false;
        }
    }
}
