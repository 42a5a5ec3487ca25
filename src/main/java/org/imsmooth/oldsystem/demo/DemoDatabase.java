package org.imsmooth.oldsystem.demo;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the demo may write its generated chat history: only into a database the service made itself.
 * {@code oldsystem.demo.enabled} ({@code OLD_SYSTEM_DEMO}) is {@code auto} by default: the demo runs
 * on the embedded default database (and on an in-memory H2, which exists only inside this process)
 * and stays off on any other, which is then the user's real old system, read and never written by the
 * demo. {@code true} asks for the demo on another database, and is honoured only when that database
 * is empty or was filled by the demo before (it carries the {@value #MARKER} table, created before
 * anything else); otherwise the service refuses to start, before any write.
 */
public final class DemoDatabase {

    /** application.yml's default {@code OLD_SYSTEM_DB_URL}. */
    public static final String EMBEDDED_DEFAULT = "jdbc:h2:file:./data/oldsystem;AUTO_SERVER=TRUE";
    static final String MARKER = "imsmooth_demo";

    private DemoDatabase() {
    }

    /** {@code auto}, {@code true} or {@code false} (anything else is refused). */
    public static String setting(String raw) {
        String value = raw == null || raw.isBlank() ? "auto" : raw.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("auto") && !value.equals("true") && !value.equals("false")) {
            throw new DemoRefusedException("oldsystem.demo.enabled (OLD_SYSTEM_DEMO) is '" + raw
                    + "': use true, false, or leave it unset (the demo then runs only on the embedded default database)");
        }
        return value;
    }

    /** A database that exists only because this service opened it. */
    public static boolean createdByService(String url) {
        return url != null && (EMBEDDED_DEFAULT.equals(url.trim()) || url.trim().toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:"));
    }

    /** Whether the demo runs, before looking into the database. */
    public static boolean wanted(String setting, String url) {
        return "true".equals(setting) || ("auto".equals(setting) && createdByService(url));
    }

    /**
     * Refuses (with one clear sentence) a demo on a database that holds tables it did not create. Reads
     * only: table names through JDBC metadata.
     */
    public static void checkWritable(Connection connection, String setting, String url) throws SQLException {
        if (!wanted(setting, url) || createdByService(url)) {
            return;
        }
        List<String> tables = tables(connection);
        if (tables.isEmpty() || tables.stream().anyMatch(MARKER::equalsIgnoreCase)) {
            return;
        }
        throw new DemoRefusedException("OLD_SYSTEM_DEMO=true, but the old-system database " + JdbcUrls.withoutSecrets(url)
                + " already holds " + tables.size() + " table(s) the demo did not create (" + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
                + (tables.size() > 5 ? ", ..." : "") + "): the demo only writes into an empty database. "
                + "Unset OLD_SYSTEM_DEMO to migrate from this database, or point OLD_SYSTEM_DB_URL at an empty one.");
    }

    /** Marks the database as the demo's, before the demo's first write. */
    static void mark(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + MARKER + " (note VARCHAR(100))");
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    /** The demo may not run here; the message is the whole explanation. */
    public static final class DemoRefusedException extends IllegalStateException {
        public DemoRefusedException(String message) {
            super(message);
        }
    }

    /** JDBC URLs in messages: without the parameters, where a password may be. */
    public static final class JdbcUrls {
        private JdbcUrls() {
        }

        public static String withoutSecrets(String url) {
            if (url == null) {
                return "(none)";
            }
            String cut = url;
            for (char c : new char[] {'?', ';'}) {
                int at = cut.indexOf(c);
                if (at >= 0) {
                    cut = cut.substring(0, at);
                }
            }
            // user:password@host
            return cut.replaceAll("//[^/@]*@", "//***@");
        }
    }
}
