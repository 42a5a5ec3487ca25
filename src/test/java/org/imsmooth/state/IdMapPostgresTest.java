package org.imsmooth.state;

import javax.sql.DataSource;

import org.imsmooth.support.FreshStateDatabase;
import org.junit.jupiter.api.AfterEach;

/** {@link IdMapTest} on PostgreSQL (a fresh schema per test), where the id map's SQL differs ({@link IdMapDialect}). */
class IdMapPostgresTest extends IdMapTest {

    private FreshStateDatabase.ServerDatabase schema;

    @Override
    protected DataSource stateDatabaseForTest() {
        schema = FreshStateDatabase.postgres("id_map");
        return schema.dataSource();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
