package org.imsmooth.pipeline;

import org.imsmooth.support.FreshStateDatabase;

/**
 * {@link RecordOutcomesTest} on PostgreSQL, where the id map's first INSERT skips an existing old id
 * ({@code ON CONFLICT DO NOTHING}) rather than failing: a failed statement aborts the state writer's
 * shared transaction there. A fresh schema per test.
 */
class RecordOutcomesPostgresTest extends RecordOutcomesTest {

    @Override
    protected javax.sql.DataSource stateDatabaseForTest() {
        return FreshStateDatabase.postgres("record_outcomes");
    }
}
