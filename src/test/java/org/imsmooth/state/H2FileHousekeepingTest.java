package org.imsmooth.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The state file of an H2 database opened with WRITE_DELAY=0 (as application.yml does) stays bounded
 * under the import's write pattern (small transactions of id map rows with random IM ids and
 * conversations) when the housekeeping runs, and grows several times larger when it does not.
 */
class H2FileHousekeepingTest {

    /** Rows per round; the file is measured after each of two rounds. */
    private static final int ROWS = 15_000;

    @TempDir
    Path dir;

    @Test
    void compactionKeepsTheStateFileBoundedAndEveryRowReadable() throws Exception {
        long[] without = importRows(dir.resolve("plain"), false);
        long[] with = importRows(dir.resolve("housekept"), true);
        // without: every round adds as much file as the first; with: the second round reuses the space
        assertThat(without[1]).as("file without housekeeping after %d and %d rows: %s", ROWS, 2 * ROWS, java.util.Arrays.toString(without))
                .isGreaterThan(without[0] * 3 / 2);
        assertThat(with[1]).as("file with housekeeping after %d and %d rows: %s", ROWS, 2 * ROWS, java.util.Arrays.toString(with))
                .isLessThan(without[1] / 2);
    }

    @Test
    void appliesOnlyToAnEmbeddedH2FileWithoutWriteDelay() {
        assertThat(H2FileHousekeeping.storeWithoutWriteDelay(h2("jdbc:h2:file:" + dir.resolve("delayed")))).isEmpty();
        assertThat(H2FileHousekeeping.storeWithoutWriteDelay(h2("jdbc:h2:mem:housekeeping;DB_CLOSE_DELAY=-1"))).isEmpty();
        assertThat(H2FileHousekeeping.storeWithoutWriteDelay(h2("jdbc:h2:file:" + dir.resolve("nodelay") + ";WRITE_DELAY=0")))
                .isPresent();
    }

    /**
     * Writes two rounds of rows in transactions of 10 (as the group commit does) and returns the file's
     * size after each (measured open: H2 compacts on close).
     */
    private long[] importRows(Path base, boolean housekeeping) throws IOException {
        long[] size = new long[2];
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + base + ";WRITE_DELAY=0");
        ds.setUsername("sa");
        // this loop writes about five times faster than an import's state writer: a shorter interval and retention
        H2FileHousekeeping task = new H2FileHousekeeping(ds, 100, 100);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            if (housekeeping) {
                task.start();
            }
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            IdMap idMap = new IdMap(jdbc);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
            Random random = new Random(7);
            for (int i = 0; i < 2 * ROWS; i += 10) {
                if (i == ROWS) {
                    size[0] = Files.size(Path.of(base + ".mv.db"));
                }
                int first = i;
                tx.executeWithoutResult(status -> {
                    for (int n = first; n < first + 10; n++) {
                        int a = random.nextInt(500);
                        int b = random.nextInt(500);
                        idMap.recordDone("c2c_message", "m" + n, random.nextInt(1 << 30) + "_" + n, "old",
                                "u" + Math.min(a, b) + ":u" + Math.max(a, b), null);
                    }
                });
            }
            assertThat(idMap.count("c2c_message", IdMap.DONE)).isEqualTo(2 * ROWS);
            size[1] = Files.size(Path.of(base + ".mv.db"));
        } finally {
            task.stop();
            ds.close();
        }
        // the compacted file opens again with every row
        HikariDataSource reopened = new HikariDataSource();
        reopened.setJdbcUrl("jdbc:h2:file:" + base);
        reopened.setUsername("sa");
        try {
            assertThat(new IdMap(new JdbcTemplate(reopened)).count("c2c_message", IdMap.DONE)).isEqualTo(2 * ROWS);
        } finally {
            reopened.close();
        }
        return size;
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        return ds;
    }
}
