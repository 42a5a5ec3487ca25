package org.imsmooth.state;

import javax.sql.DataSource;

import org.imsmooth.support.FreshStateDatabase;

/** {@link IdMapTest} on MariaDB (a fresh database per test), which gets the standard SQL of {@link IdMapDialect}. */
class IdMapMariaDbTest extends IdMapTest {

    @Override
    protected DataSource stateDatabaseForTest() {
        return FreshStateDatabase.mariaDb("id_map");
    }
}
