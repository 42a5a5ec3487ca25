package org.imsmooth.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

/** Units from many threads share transactions; each caller returns after its own commit; a bad unit fails alone. */
class GroupCommitTest {

    private JdbcDataSource dataSource;
    private JdbcTemplate jdbc;
    private GroupCommit commits;
    private ExecutorService callers;

    @BeforeEach
    void database() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:group-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        commits = new GroupCommit(jdbc);
        callers = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        commits.stop();
    }

    @Test
    void unitsQueuedDuringACommitShareTheNextTransaction() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        Set<Integer> connections = ConcurrentHashMap.newKeySet();
        Future<?> first = callers.submit(() -> {
            commits.run(() -> {
                try {
                    holding.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            return null;
        });
        holding.await(); // the writer is inside the first transaction: the ten below queue behind it
        List<Future<?>> queued = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int id = i;
            queued.add(callers.submit(() -> {
                commits.run(() -> {
                    jdbc.update("INSERT INTO t VALUES (?)", id);
                    // the transaction's connection: one for the whole group
                    connections.add(System.identityHashCode(DataSourceUtils.getConnection(dataSource)));
                });
                return null;
            }));
        }
        Thread.sleep(300); // let the ten callers queue behind the held transaction
        release.countDown();
        first.get();
        for (Future<?> call : queued) {
            call.get();
        }
        assertThat(connections).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isEqualTo(10);
    }

    @Test
    void submittedUnitsWaitForOthersToShareTheirCommit() throws Exception {
        commits.stop();
        commits = new GroupCommit(jdbc, 1_000);
        Set<Integer> connections = ConcurrentHashMap.newKeySet();
        List<java.util.concurrent.CompletableFuture<Void>> submitted = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int id = i;
            submitted.add(commits.submit(() -> {
                jdbc.update("INSERT INTO t VALUES (?)", id);
                connections.add(System.identityHashCode(DataSourceUtils.getConnection(dataSource)));
            }));
            Thread.sleep(50); // arriving one by one, well inside the linger
        }
        commits.awaitAll(submitted);
        assertThat(connections).as("one transaction for the three units").hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isEqualTo(3);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aUnitSomeoneWaitsForEndsTheLingerAndCommitsAfterEarlierUnits() throws Exception {
        commits.stop();
        commits = new GroupCommit(jdbc, 600_000);
        var earlier = commits.submit(() -> jdbc.update("INSERT INTO t VALUES (1)"));
        commits.run(() -> jdbc.update("INSERT INTO t VALUES (2)"));
        assertThat(earlier).as("queued first, so committed with or before the awaited unit").isDone();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isEqualTo(2);
    }

    @Test
    void aSubmittedUnitsFailureReachesWhoeverAwaitsIt() {
        jdbc.update("INSERT INTO t VALUES (5)");
        var duplicate = commits.submit(() -> jdbc.update("INSERT INTO t VALUES (5)"));
        assertThatThrownBy(() -> commits.awaitAll(List.of(duplicate))).isInstanceOf(DataAccessException.class);
    }

    @Test
    void aCallerReturnsOnlyOnceItsUnitIsCommitted() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        Set<Integer> visibleOnReturn = ConcurrentHashMap.newKeySet();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int id = i;
            calls.add(callers.submit(() -> {
                start.await();
                commits.run(() -> jdbc.update("INSERT INTO t VALUES (?)", id));
                // another connection sees only committed rows
                if (jdbc.queryForObject("SELECT COUNT(*) FROM t WHERE id = ?", Integer.class, id) == 1) {
                    visibleOnReturn.add(id);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> call : calls) {
            call.get();
        }
        assertThat(visibleOnReturn).hasSize(300);
    }

    @Test
    void aFailingUnitFailsOnlyItsCallerAndTheRestOfItsGroupIsCommitted() throws Exception {
        jdbc.update("INSERT INTO t VALUES (0)");
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = callers.submit(() -> {
            commits.run(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            return null;
        });
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int id = i;
            calls.add(callers.submit(() -> {
                commits.run(() -> jdbc.update("INSERT INTO t VALUES (?)", id));
                return null;
            }));
        }
        Future<?> duplicate = callers.submit(() -> {
            commits.run(() -> jdbc.update("INSERT INTO t VALUES (0)"));
            return null;
        });
        Thread.sleep(300); // all eleven queue behind the held transaction: one group
        release.countDown();
        holder.get();
        for (Future<?> call : calls) {
            call.get();
        }
        assertThatThrownBy(duplicate::get).hasCauseInstanceOf(DataAccessException.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isEqualTo(11);
    }

    @Test
    void afterStopAUnitRunsInItsCallersOwnTransaction() throws Exception {
        commits.stop();
        commits.run(() -> jdbc.update("INSERT INTO t VALUES (7)"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t WHERE id = 7", Integer.class)).isEqualTo(1);
    }
}
