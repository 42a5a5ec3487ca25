package db.migration;

import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code reconciliation_verdict}: the reconciliation report of an import, built once by whichever
 * instance finished it and read by every other ({@code /api/migration/report} on any instance). Keyed
 * by a fingerprint of the finished stages' counters, so a changed import (dead letters replayed, a
 * stage rerun) is reconciled again. Java only because the engines name a long text column differently.
 */
public class V9_5__ReconciliationVerdict extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String text = product.contains("postgresql") ? "TEXT"
                : product.contains("mysql") || product.contains("mariadb") ? "LONGTEXT" : "CLOB";
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("CREATE TABLE reconciliation_verdict (fingerprint VARCHAR(64) NOT NULL, instance_id VARCHAR(191) NOT NULL,"
                    + " balanced BOOLEAN NOT NULL, report " + text + " NOT NULL, finished_at TIMESTAMP NOT NULL,"
                    + " CONSTRAINT pk_reconciliation_verdict PRIMARY KEY (fingerprint))");
        }
    }
}
