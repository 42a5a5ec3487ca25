package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.imsmooth.state.StateDatabase;
import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * {@code reconciliation_verdict}: the reconciliation report of an import, built once by whichever
 * instance finished it and read by every other ({@code /api/migration/report} on any instance). Keyed
 * by a fingerprint of the finished stages' counters, so a changed import (dead letters replayed, a
 * stage rerun) is reconciled again. Java only because the engines name a long text column differently.
 */
public class V9_5__ReconciliationVerdict extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        DatabaseDriver engine = StateDatabase.of(context.getConnection());
        String text = engine == DatabaseDriver.POSTGRESQL ? "TEXT" : StateDatabase.isMySqlFamily(engine) ? "LONGTEXT" : "CLOB";
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("CREATE TABLE reconciliation_verdict (fingerprint VARCHAR(64) NOT NULL, instance_id VARCHAR(191) NOT NULL,"
                    + " balanced BOOLEAN NOT NULL, report " + text + " NOT NULL, finished_at TIMESTAMP NOT NULL,"
                    + " CONSTRAINT pk_reconciliation_verdict PRIMARY KEY (fingerprint))");
        }
    }
}
