package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.imsmooth.state.StateDatabase;

/**
 * Drops {@code ix_id_map_conversation} (V1). Conversations arrive in random order, so the index took
 * one random page per imported message: with the index the state writer stored several times as many
 * pages per commit, and it limited the whole import. Its readers do without it: the reconciliation
 * sorts a kind's rows once, and whether a group has earlier history in IM is kept per group in
 * {@code group_history_call} (V6). Java only because MySQL/MariaDB spell DROP INDEX differently.
 */
public class V7__IdMapWithoutConversationIndex extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean mysqlFamily = StateDatabase.isMySqlFamily(StateDatabase.of(context.getConnection()));
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(mysqlFamily ? "DROP INDEX ix_id_map_conversation ON id_map" : "DROP INDEX ix_id_map_conversation");
        }
    }
}
