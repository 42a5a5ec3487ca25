package org.imsmooth.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests against real infrastructure (PostgreSQL, MariaDB, an external Artemis broker) skip with a
 * clear message when it is absent on a developer machine, and fail in CI (CI=true), where .ci/run
 * starts it: a missing service must never turn into a silently green build.
 */
public final class RealServices {

    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    private RealServices() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The value of an environment variable that names a real service, or skip/fail. */
    public static String requireEnv(String variable, String what) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            unavailable(what + " (environment variable " + variable + " is not set; .ci/run sets it)");
        }
        return value;
    }

    public static void requirePostgres() {
        requireDatabase(POSTGRES_URL, "postgres", "", "PostgreSQL at 127.0.0.1:5432 (user postgres, database test)");
    }

    public static void requireMariaDb() {
        requireDatabase(MARIADB_URL, "root", "", "MariaDB at 127.0.0.1:3306 (user root, database test)");
    }

    /** A program a test drives (e.g. Debian's chromium and chromedriver, installed by .ci/run). */
    public static void requireExecutable(java.nio.file.Path program, String what) {
        if (!java.nio.file.Files.isExecutable(program)) {
            unavailable(what + " (" + program + " not found; .ci/run installs it)");
        }
    }

    private static void requireDatabase(String url, String user, String password, String what) {
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            // reachable
        } catch (Exception e) {
            unavailable(what + ": " + e.getMessage());
        }
    }

    private static void unavailable(String what) {
        if (inCi()) {
            fail("CI=true but this test's real service is unavailable: " + what);
        }
        Assumptions.abort("Skipped: needs " + what);
    }
}
