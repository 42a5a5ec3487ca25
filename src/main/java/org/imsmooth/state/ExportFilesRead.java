package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Export files an import stage read to their end (table {@code export_file_read}), shared by every instance. */
@Component
public class ExportFilesRead {

    private final JdbcTemplate jdbc;

    public ExportFilesRead(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Set<String> finished(String stage) {
        return new HashSet<>(jdbc.queryForList("SELECT file FROM export_file_read WHERE stage = ?", String.class, stage));
    }

    public boolean isFinished(String stage, String file) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM export_file_read WHERE stage = ? AND file = ?", Integer.class, stage, file);
        return n != null && n > 0;
    }

    public void finished(String stage, String file, long lines) {
        try {
            jdbc.update("INSERT INTO export_file_read (stage, file, line_count, finished_at) VALUES (?,?,?,?)",
                    stage, file, lines, Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException already) {
            // finished again after a crash between the cursor and this mark
        }
    }
}
