package org.imsmooth.pipeline;

import org.imsmooth.support.FreshStateDatabase;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link RecordOutcomesTest} on PostgreSQL, where the id map's first INSERT skips an existing old id
 * ({@code ON CONFLICT DO NOTHING}) rather than failing: a failed statement aborts the state writer's
 * shared transaction there. A fresh schema per test.
 */
class RecordOutcomesPostgresTest extends RecordOutcomesTest {

    private FreshStateDatabase.ServerDatabase schema;

    @Override
    protected javax.sql.DataSource stateDatabaseForTest() {
        schema = FreshStateDatabase.postgres("record_outcomes");
        return schema.dataSource();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
