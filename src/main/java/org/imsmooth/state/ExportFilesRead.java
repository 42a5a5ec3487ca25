package org.imsmooth.state;

import java.util.HashSet;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Export files an import stage read to their end (table {@code export_file_read}), shared by every instance. */
@Component
public class ExportFilesRead {

    private final StageFileRows rows;

    public ExportFilesRead(JdbcTemplate jdbc) {
        this.rows = new StageFileRows(jdbc, "export_file_read", "finished_at");
    }

    public Set<String> finished(String stage) {
        return new HashSet<>(rows.files(stage));
    }

    public boolean isFinished(String stage, String file) {
        return rows.contains(stage, file);
    }

    /** Marks the file read; again after a crash between the cursor and this mark is harmless. */
    public void finished(String stage, String file, long lines) {
        rows.insert(stage, file, "line_count", lines);
    }
}
