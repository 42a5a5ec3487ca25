package org.imsmooth.state;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Export files the export's file consumer found complete, per import stage (table {@code export_file_found}),
 * shared by every instance: what a stage reads, in name order.
 */
@Component
public class ExportFilesFound {

    private final StageFileRows rows;

    public ExportFilesFound(JdbcTemplate jdbc) {
        this.rows = new StageFileRows(jdbc, "export_file_found", "found_at");
    }

    /** The stage's files, in name order. */
    public List<String> files(String stage) {
        return rows.files(stage);
    }

    public boolean contains(String stage, String file) {
        return rows.contains(stage, file);
    }

    /** Records the file; false when it was recorded before (by this or another instance). */
    public boolean add(String stage, String file) {
        return !contains(stage, file) && rows.insert(stage, file, null, null);
    }
}
