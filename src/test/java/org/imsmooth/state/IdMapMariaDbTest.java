package org.imsmooth.state;

import javax.sql.DataSource;

import org.imsmooth.support.FreshStateDatabase;
import org.junit.jupiter.api.AfterEach;

/** {@link IdMapTest} on MariaDB (a fresh database per test), which gets the standard SQL of {@link IdMapDialect}. */
class IdMapMariaDbTest extends IdMapTest {

    private FreshStateDatabase.ServerDatabase schema;

    @Override
    protected DataSource stateDatabaseForTest() {
        schema = FreshStateDatabase.mariaDb("id_map");
        return schema.dataSource();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
