package org.imsmooth.pipeline;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How the import pipelines treat records: {@code migration.dry-run=true} validates everything
 * (ids, sizes, timestamps, references) and dead-letters what would be rejected, but calls nothing in
 * IM and writes nothing to the id map. {@code migration.truncate-oversized-text=false} turns
 * "cut at a character boundary and report" into a rejection.
 */
@Component("importMode")
public class ImportMode {

    private final boolean dryRun;
    private final boolean truncateOversizedText;

    public ImportMode(@Value("${migration.dry-run:false}") boolean dryRun,
                      @Value("${migration.truncate-oversized-text:true}") boolean truncateOversizedText) {
        this.dryRun = dryRun;
        this.truncateOversizedText = truncateOversizedText;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean truncateOversizedText() {
        return truncateOversizedText;
    }
}
