package org.imsmooth.state;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * Which engine a state database runs on, in Spring Boot's names ({@link DatabaseDriver}: POSTGRESQL, H2,
 * MYSQL, MARIADB, ...), read from the connection's metadata. The one place the service asks: the id map's
 * SQL ({@link IdMapDialect}), whether the IM quota is shared (pacing), and the Java Flyway migrations'
 * column types.
 */
public final class StateDatabase {

    private StateDatabase() {
    }

    /** The engine behind this connection; {@link DatabaseDriver#UNKNOWN} when Spring Boot does not know it. */
    public static DatabaseDriver of(Connection connection) throws SQLException {
        return DatabaseDriver.fromProductName(connection.getMetaData().getDatabaseProductName());
    }

    /** The engine behind this data source (one connection borrowed and given back). */
    public static DatabaseDriver of(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        }
    }

    /** MySQL or MariaDB: the engines that spell some DDL their own way. */
    public static boolean isMySqlFamily(DatabaseDriver engine) {
        return engine == DatabaseDriver.MYSQL || engine == DatabaseDriver.MARIADB;
    }
}
