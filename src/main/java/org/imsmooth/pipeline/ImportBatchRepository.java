package org.imsmooth.pipeline;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
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
    JdbcMessageIdRepository importBatches(DataSource dataSource) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, "import-batches");
        repository.setCreateTableIfNotExists(false);
        return repository;
    }
}
