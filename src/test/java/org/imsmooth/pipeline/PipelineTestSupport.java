package org.imsmooth.pipeline;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.imsmooth.state.IdMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Shared steps of the pipeline end-to-end tests: run a stage's reader route, wait until every row it
 * covers is accounted for in the id map (imported or rejected), and drain a stage's DLQ.
 * Subclasses are {@code @CamelSpringBootTest @ActiveProfiles("test") @SpringBootTest(RANDOM_PORT,
 * "migration.auto-start=false", ...)} so the built-in sandbox answers on the random port.
 */
public abstract class PipelineTestSupport {

    @Autowired protected ProducerTemplate producer;
    @Autowired protected ConsumerTemplate consumer;
    @Autowired protected IdMap idMap;
    @Autowired @Qualifier("oldSystemDataSource") protected DataSource oldSystemDataSource;

    protected JdbcTemplate oldSystem() {
        return new JdbcTemplate(oldSystemDataSource);
    }

    /** Runs the stage's reader (direct:import-&lt;stage&gt;) and waits until {@code expected} rows are accounted for. */
    protected void runStage(String stage, long expected) {
        producer.sendBody("direct:import-" + stage, null);
        awaitAccounted(stage, expected);
    }

    protected void awaitAccounted(String stage, long expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> idMap.count(stage, IdMap.DONE) + idMap.count(stage, IdMap.REJECTED) >= expected);
    }

    /** Everything currently in the stage's DLQ (consumed). */
    protected List<Exchange> drainDeadLetters(String stage) {
        List<Exchange> out = new ArrayList<>();
        for (Exchange e; (e = consumer.receive("jms:queue:im.import." + stage + ".DLQ", 1500)) != null; ) {
            out.add(e);
        }
        return out;
    }

    protected long oldCount(String sql) {
        Long n = oldSystem().queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}
