package org.imsmooth.state;

import javax.sql.DataSource;

import org.imsmooth.support.FreshStateDatabase;

/** {@link IdMapTest} on PostgreSQL (a fresh schema per test), where the id map's SQL differs ({@link IdMapDialect}). */
class IdMapPostgresTest extends IdMapTest {

    @Override
    protected DataSource stateDatabaseForTest() {
        return FreshStateDatabase.postgres("id_map");
    }
}
