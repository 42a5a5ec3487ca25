package org.imsmooth.pipeline;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
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
    /** Spied to see the reader look at its queue's depth: the marker that it is holding, not merely slow. */
    @MockitoSpyBean QueueDepth queues;
    @Autowired ImportCursors cursors;

    @Test
    void theReaderHoldsWhileItsWorkQueueIsFullAndReadsOnWhenItDrains() throws Exception {
        // IM answers after 3 s: the workers fall behind the reader at once
        FaultInjector.Settings normal = im.settings();
        im.update(FaultInjector.validate(3_000, 0, List.of(), normal.timeoutMs()));
        AtomicInteger readerLooks = new AtomicInteger();
        doAnswer(call -> {
            if (StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals(InlineBatchSending.class.getName())))) {
                readerLooks.incrementAndGet();
            }
            return call.callRealMethod();
        }).when(queues).of(anyString());
        CompletableFuture<Object> reader = producer.asyncRequestBody("direct:import-accounts", null);

        await().atMost(Duration.ofSeconds(20)).until(() -> queues.of("im.import.accounts") >= 3);
        // the reader looked at the full queue again and again, and held
        int looked = readerLooks.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> readerLooks.get() >= looked + 5 || reader.isDone());
        assertThat(reader).isNotDone();
        assertThat(queues.of("im.import.accounts")).as("read-ahead 2, plus the page sent before the check").isLessThanOrEqualTo(3);
        assertThat(cursors.rowsRead("accounts")).isLessThanOrEqualTo(15);

        im.update(normal);
        reader.get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.count("accounts", IdMap.DONE) == 60);
        assertThat(cursors.rowsRead("accounts")).isEqualTo(60);
    }
}
