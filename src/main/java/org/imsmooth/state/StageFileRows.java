package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A table with one row per import stage and export file ({@code export_file_found},
 * {@code export_file_read}), shared by every instance: a row is written once, by whichever instance
 * gets there first.
 */
final class StageFileRows {

    private final JdbcTemplate jdbc;
    private final String table;
    private final String timeColumn;

    StageFileRows(JdbcTemplate jdbc, String table, String timeColumn) {
        this.jdbc = jdbc;
        this.table = table;
        this.timeColumn = timeColumn;
    }

    /** The stage's files, in name order. */
    List<String> files(String stage) {
        return jdbc.queryForList("SELECT file FROM " + table + " WHERE stage = ? ORDER BY file", String.class, stage);
    }

    boolean contains(String stage, String file) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE stage = ? AND file = ?", Integer.class, stage, file);
        return n != null && n > 0;
    }

    /**
     * Inserts the row, stamped now, with {@code column} set to {@code value} if a column is named; false when
     * it was there already (written by this or another instance).
     */
    boolean insert(String stage, String file, String column, Object value) {
        try {
            if (column == null) {
                jdbc.update("INSERT INTO " + table + " (stage, file, " + timeColumn + ") VALUES (?,?,?)", stage, file, Timestamp.from(Instant.now()));
            } else {
                jdbc.update("INSERT INTO " + table + " (stage, file, " + column + ", " + timeColumn + ") VALUES (?,?,?,?)",
                        stage, file, value, Timestamp.from(Instant.now()));
            }
            return true;
        } catch (DuplicateKeyException already) {
            return false;
        }
    }
}
