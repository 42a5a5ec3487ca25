package org.imsmooth.pipeline;

import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes one record's outcome (its id map row and its stage counter) in a single transaction of the
 * state database. Every imported record is written as it is acknowledged, so this runs once per IM
 * call or more: as separate auto-commits it was three commits, each a write of the state database
 * (H2 stores a chunk per commit), and a crash between them left a row without its count.
 */
@Component
public class RecordOutcomes {

    private final IdMap idMap;
    private final StageProgress progress;
    private final TransactionTemplate tx;

    public RecordOutcomes(IdMap idMap, StageProgress progress, JdbcTemplate jdbc) {
        this.idMap = idMap;
        this.progress = progress;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    /** IM acknowledged the record: id map row (origin old) and the stage's imported count. */
    public void done(String stage, String oldId, String imId, String conversation, String detail) {
        tx.executeWithoutResult(status -> {
            idMap.recordDone(stage, oldId, imId, "old", conversation, detail);
            progress.imported(stage, 1);
        });
    }

    /** The record was dead-lettered for good: id map row and the stage's dead-lettered count. */
    public void rejected(String stage, String oldId, String reason) {
        tx.executeWithoutResult(status -> {
            idMap.recordRejected(stage, oldId, "old", reason);
            progress.deadLettered(stage, 1);
        });
    }
}
