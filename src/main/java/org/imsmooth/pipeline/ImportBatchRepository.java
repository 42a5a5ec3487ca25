package org.imsmooth.pipeline;

import javax.sql.DataSource;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.imsmooth.state.GroupCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JDBC idempotent repository the work-queue routes use ({@code idempotentRepository: "#importBatches"}):
 * a batch delivered twice (a re-read page after a crash, a broker redelivery after success) is
 * processed once. Shared by every instance through the state database (table from Flyway V1).
 */
@Configuration(proxyBeanMethods = false)
public class ImportBatchRepository {

    @Bean
    IdempotentRepository importBatches(DataSource dataSource, GroupCommit commits) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, "import-batches");
        repository.setCreateTableIfNotExists(false);
        return new GroupCommittedMarks(repository, commits);
    }

    /**
     * A batch's "processed" mark is written with the import's outcome writes ({@link GroupCommit}), not
     * in a transaction of its own: each of those was a commit, and the embedded state database stores a
     * chunk at every commit (with the outcome writes grouped, the marks' own commits were half of the
     * import workers' CPU). The mark is not awaited: it only saves the work of a batch that comes again,
     * whose records the id map (awaited before the message is acknowledged) skips anyway.
     */
    static final class GroupCommittedMarks extends ServiceSupport implements IdempotentRepository {

        private static final Logger LOG = LoggerFactory.getLogger(GroupCommittedMarks.class);

        private final JdbcMessageIdRepository marks;
        private final GroupCommit commits;

        GroupCommittedMarks(JdbcMessageIdRepository marks, GroupCommit commits) {
            this.marks = marks;
            this.commits = commits;
        }

        @Override
        public boolean add(String key) {
            commits.submit(() -> marks.add(key)).whenComplete((ok, failed) -> {
                if (failed != null) {
                    LOG.warn("Batch {} is processed, but its mark was not written ({}): a redelivery is skipped by the id map",
                            key, failed.getMessage());
                }
            });
            return true;
        }

        @Override
        public boolean contains(String key) {
            return marks.contains(key);
        }

        @Override
        public boolean remove(String key) {
            return marks.remove(key);
        }

        @Override
        public boolean confirm(String key) {
            return marks.confirm(key);
        }

        @Override
        public void clear() {
            marks.clear();
        }

        @Override
        protected void doStart() throws Exception {
            marks.start();
        }

        @Override
        protected void doStop() throws Exception {
            marks.stop();
        }
    }
}
