package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.imsmooth.state.StateDatabase;
import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * {@code api_quota_bucket}: the token bucket of each IM API that all instances draw from (Bucket4j's
 * layout: the bucket's serialized state per key, locked with SELECT ... FOR UPDATE). Used on PostgreSQL;
 * created everywhere so the schema is one. Java only because the engines name a byte column differently.
 */
public class V8__ApiQuotaBuckets extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        String bytes = StateDatabase.of(context.getConnection()) == DatabaseDriver.POSTGRESQL ? "BYTEA" : "BLOB";
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("CREATE TABLE api_quota_bucket (id VARCHAR(64) NOT NULL, state " + bytes
                    + ", CONSTRAINT pk_api_quota_bucket PRIMARY KEY (id))");
        }
    }
}
