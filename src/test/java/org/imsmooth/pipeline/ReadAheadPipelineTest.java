package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.sandbox.quota.FaultInjector;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.ImportCursors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A reader stays at most {@code pipeline.read-ahead} queue messages ahead of its workers: while IM
 * answers slowly it holds after a few pages (cursor and queue bounded), and it reads on as the workers
 * drain the queue, to the last row.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=60", "oldsystem.demo.messages=0", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        // one queue message per page (a page's end closes its batch)
        "oldsystem.page-size=5", "oldsystem.first-page-size=5",
        "pipeline.read-ahead=2"})
class ReadAheadPipelineTest extends PipelineTestSupport {

    @Autowired FaultInjector im;
    @Autowired QueueDepth queues;
    @Autowired ImportCursors cursors;

    @Test
    void theReaderHoldsWhileItsWorkQueueIsFullAndReadsOnWhenItDrains() throws Exception {
        // IM answers after 3 s: the workers fall behind the reader at once
        FaultInjector.Settings normal = im.settings();
        im.update(FaultInjector.validate(3_000, 0, List.of(), normal.timeoutMs()));
        CompletableFuture<Object> reader = producer.asyncRequestBody("direct:import-accounts", null);

        await().atMost(Duration.ofSeconds(20)).until(() -> queues.of("im.import.accounts") >= 3);
        Thread.sleep(1_500); // time enough to read all twelve pages, were it not held
        assertThat(reader).isNotDone();
        assertThat(queues.of("im.import.accounts")).as("read-ahead 2, plus the page sent before the check").isLessThanOrEqualTo(3);
        assertThat(cursors.rowsRead("accounts")).isLessThanOrEqualTo(15);

        im.update(normal);
        reader.get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.count("accounts", IdMap.DONE) == 60);
        assertThat(cursors.rowsRead("accounts")).isEqualTo(60);
    }
}
