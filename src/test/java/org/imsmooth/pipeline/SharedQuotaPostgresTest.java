package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.imsmooth.pipeline.pacing.CallPermits;
import org.imsmooth.pipeline.pacing.LocalCallPermits;
import org.imsmooth.pipeline.pacing.PacingClock;
import org.imsmooth.pipeline.pacing.SharedCallPermits;
import org.imsmooth.pipeline.pacing.SlidingWindow;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.mock.env.MockEnvironment;

/**
 * One IM quota across instances: two pacers (two instances' worth: each its own Bucket4j proxy manager
 * and connection pool) on one PostgreSQL state database, the table made by Flyway in a schema of this
 * test's own. Together they never put more than the quota into any one-second span, counted over the
 * times their calls were let go; the same two pacing alone each (the old behaviour) go over, which shows
 * the count can see an overrun. Real threads and clock; nothing asserts how long anything took.
 */
class SharedQuotaPostgresTest {

    private static final String API = "admin_set_msg_read";
    private static final int QUOTA = 60;
    private static final int THREADS_PER_INSTANCE = 3;
    private static final int CALLS_PER_THREAD = 25;

    private final MockEnvironment env = new MockEnvironment()
            .withProperty("pipeline.quota." + API, String.valueOf(QUOTA))
            .withProperty("pipeline.quota-utilization", "0.9");

    @Test
    void twoInstancesOnOneStateDatabaseTogetherStayInsideOneQuota() throws Exception {
        RealServices.requirePostgres();
        String schema = "quota_share_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            admin.createStatement().execute("CREATE SCHEMA " + schema);
            try (HikariDataSource poolOne = pool(schema); HikariDataSource poolTwo = pool(schema)) {
                Flyway.configure().dataSource(poolOne).locations("classpath:db/migration").load().migrate();
                AtomicInteger transactions = new AtomicInteger();
                ApiQuotas one = new ApiQuotas(env, sharedThrough(poolOne, transactions), PacingClock.SYSTEM);
                ApiQuotas two = new ApiQuotas(env, sharedThrough(poolTwo, transactions), PacingClock.SYSTEM);
                assertThat(one.sharedAcrossInstances()).isTrue();

                List<Long> oneCalls = Collections.synchronizedList(new ArrayList<>());
                List<Long> twoCalls = Collections.synchronizedList(new ArrayList<>());
                runSideBySide(one, oneCalls, two, twoCalls);

                List<Long> all = new ArrayList<>(oneCalls);
                all.addAll(twoCalls);
                assertThat(oneCalls).hasSize(THREADS_PER_INSTANCE * CALLS_PER_THREAD);
                assertThat(twoCalls).hasSize(THREADS_PER_INSTANCE * CALLS_PER_THREAD);
                assertThat(SlidingWindow.busiestSecond(all)).as("calls of both instances in any one second").isLessThanOrEqualTo(QUOTA);
                // slots are reserved a batch at a time (about 100 ms of calls): the database is not asked per call
                assertThat(transactions.get()).as("trips to the database").isLessThan(all.size() / 2);
                try (Connection c = poolOne.getConnection()) {
                    var rs = c.createStatement().executeQuery("SELECT id FROM api_quota_bucket");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).startsWith(API + "@");
                    assertThat(rs.next()).as("one bucket, shared").isFalse();
                }
            } finally {
                admin.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void twoInstancesPacingAloneEachGoOverTheQuota() throws Exception {
        ApiQuotas one = new ApiQuotas(env, new LocalCallPermits(PacingClock.SYSTEM), PacingClock.SYSTEM);
        ApiQuotas two = new ApiQuotas(env, new LocalCallPermits(PacingClock.SYSTEM), PacingClock.SYSTEM);
        List<Long> oneCalls = Collections.synchronizedList(new ArrayList<>());
        List<Long> twoCalls = Collections.synchronizedList(new ArrayList<>());
        runSideBySide(one, oneCalls, two, twoCalls);
        List<Long> all = new ArrayList<>(oneCalls);
        all.addAll(twoCalls);
        assertThat(SlidingWindow.busiestSecond(all)).isGreaterThan(QUOTA);
    }

    private static void runSideBySide(ApiQuotas one, List<Long> oneCalls, ApiQuotas two, List<Long> twoCalls) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                done.add(callers.submit(() -> call(one, oneCalls)));
                done.add(callers.submit(() -> call(two, twoCalls)));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static Void call(ApiQuotas quotas, List<Long> calls) {
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
            calls.add(quotas.grant(API));
        }
        return null;
    }

    private static HikariDataSource pool(String schema) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(RealServices.POSTGRES_URL + "?currentSchema=" + schema);
        ds.setUsername("postgres");
        ds.setPassword("");
        ds.setMaximumPoolSize(3);
        return ds;
    }

    /** The database buckets, counting the connections they take (one per transaction). */
    private static CallPermits sharedThrough(DataSource pool, AtomicInteger transactions) {
        return new SharedCallPermits(new DelegatingDataSource(pool) {
            @Override
            public Connection getConnection() throws SQLException {
                transactions.incrementAndGet();
                return super.getConnection();
            }
        }, PacingClock.SYSTEM);
    }

}
